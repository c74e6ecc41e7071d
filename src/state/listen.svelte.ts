import { getContext, setContext } from 'svelte';
import type { Engine } from '../bridge/engine-client';
import { openMicrophone, MicrophoneError, type CaptureChunk, type MicrophoneCapture } from '../bridge/microphone';
import { RollingWindow } from '../bridge/rolling-window';
import type { MatchSegment, QueryResult } from '../core/types';
import { messageFor } from './errors';

// Live listening: the microphone's last WINDOW_SEC seconds are analysed and matched every
// RECHECK_SEC, by the same workers, core, matcher and thresholds as a file check, so a live
// false alarm is as rare as one on a file. Nothing is stored; audio lives in one ring buffer.

/** The rolling window matched on each check. */
export const WINDOW_SEC = 12;
/** Time between the starts of two checks (a check that takes longer delays the next; they never pile up). */
export const RECHECK_SEC = 1.5;
/** The first check waits for this much audio: a segment needs 2 s of evidence (8 blocks of 256 ms). */
export const MIN_WINDOW_SEC = 3;
/** Below this level (dBFS, RMS over ~1 s) the input is called quiet. */
const QUIET_DBFS = -55;
/** The level meter's range: −60 dBFS is empty, 0 dBFS is full. */
const METER_FLOOR_DBFS = -60;

export type ListenStatus = 'idle' | 'starting' | 'listening' | 'failed';

/** What is heard now: the match nearest to the live edge of the window. */
export type LiveMatch = Pick<
  MatchSegment,
  'workId' | 'title' | 'confidence' | 'timeRatio' | 'pitchShiftSemitones' | 'refStartSec' | 'refEndSec' | 'hits' | 'expectedHits'
>;

const dbfs = (rms: number) => 20 * Math.log10(Math.max(rms, 1e-9));

/** The segment ending nearest the live edge (what is playing now), the most confident on ties. */
export function liveMatchOf(result: QueryResult): LiveMatch | null {
  let best: MatchSegment | null = null;
  for (const m of result.matches) {
    if (!best || m.queryEndSec > best.queryEndSec + 0.5 || (Math.abs(m.queryEndSec - best.queryEndSec) <= 0.5 && m.confidence > best.confidence)) best = m;
  }
  if (!best) return null;
  const { workId, title, confidence, timeRatio, pitchShiftSemitones, refStartSec, refEndSec, hits, expectedHits } = best;
  // The work's time now: the segment's end plus the audio heard since, at the track's tempo.
  const sinceSec = Math.max(0, result.durationSec - best.queryEndSec) / timeRatio;
  return { workId, title, confidence, timeRatio, pitchShiftSemitones, refStartSec, refEndSec: refEndSec + sinceSec, hits, expectedHits };
}

export class ListenState {
  #status = $state<ListenStatus>('idle');
  #error = $state<string | null>(null);
  /** Input level for the meter, 0..1 (−60..0 dBFS). */
  #level = $state(0);
  #quiet = $state(true);
  #heardSec = $state(0);
  #checks = $state(0);
  #searchedWorks = $state(0);
  #found = $state.raw<LiveMatch | null>(null);
  /** performance.now() of the start, and of the last check that found a work (or of the start). */
  #startedAtMs = $state(0);
  #lastFoundAtMs = $state(0);
  #session: object | null = null;
  #mic?: MicrophoneCapture;
  #window?: RollingWindow;
  #recentEnergy: number[] = [];

  constructor(private readonly engine: Engine) {}

  get status(): ListenStatus { return this.#status; }
  get error(): string | null { return this.#error; }
  get level(): number { return this.#level; }
  get quiet(): boolean { return this.#quiet; }
  get heardSec(): number { return this.#heardSec; }
  /** Checks completed since the start. */
  get checks(): number { return this.#checks; }
  get searchedWorks(): number { return this.#searchedWorks; }
  get found(): LiveMatch | null { return this.#found; }
  get active(): boolean { return this.#status === 'starting' || this.#status === 'listening'; }
  get startedAtMs(): number { return this.#startedAtMs; }
  /** When a work was last recognised (the start, if none was yet): for the booth's reset. */
  get lastFoundAtMs(): number { return this.#lastFoundAtMs; }

  /** Opens the microphone and checks its last WINDOW_SEC seconds every RECHECK_SEC. */
  async start(): Promise<void> {
    if (this.active) return;
    const session = {};
    this.#session = session;
    this.#status = 'starting';
    this.#error = null;
    this.#found = null;
    this.#checks = 0;
    this.#heardSec = 0;
    this.#level = 0;
    this.#quiet = true;
    this.#recentEnergy = [];
    try {
      const mic = await openMicrophone((chunk) => this.#take(session, chunk));
      if (this.#session !== session) {
        mic.stop();
        return;
      }
      this.#mic = mic;
      this.#window = new RollingWindow(mic.sampleRateHz, WINDOW_SEC);
      this.#startedAtMs = this.#lastFoundAtMs = performance.now();
      this.#status = 'listening';
      void this.#checkLoop(session);
    } catch (e) {
      if (this.#session !== session) return;
      this.#session = null;
      this.#error = e instanceof MicrophoneError ? e.message : messageFor(e);
      this.#status = 'failed';
    }
  }

  /** Stops listening and releases the microphone; the last result stays on screen. */
  stop(): void {
    this.#session = null;
    this.#mic?.stop();
    this.#mic = undefined;
    this.#window = undefined;
    this.#level = 0;
    if (this.active) this.#status = 'idle';
  }

  /** Stops and forgets the result (the booth's start screen). */
  reset(): void {
    this.stop();
    this.#status = 'idle';
    this.#found = null;
    this.#error = null;
    this.#checks = 0;
    this.#heardSec = 0;
  }

  #take(session: object, chunk: CaptureChunk): void {
    if (this.#session !== session || !this.#window) return;
    this.#window.push(chunk.samples);
    this.#heardSec = this.#window.totalSec;
    this.#level = Math.max(0, Math.min(1, (dbfs(chunk.rms) - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS));
    // Quiet over the last ~1 s (10 chunks of 100 ms), not one chunk: music has short gaps.
    this.#recentEnergy.push(chunk.rms * chunk.rms);
    if (this.#recentEnergy.length > 10) this.#recentEnergy.shift();
    const meanEnergy = this.#recentEnergy.reduce((a, b) => a + b, 0) / this.#recentEnergy.length;
    this.#quiet = dbfs(Math.sqrt(meanEnergy)) < QUIET_DBFS;
  }

  async #checkLoop(session: object): Promise<void> {
    let nextAtMs = performance.now();
    while (this.#session === session) {
      const window = this.#window!;
      const waitMs = Math.max(nextAtMs - performance.now(), (MIN_WINDOW_SEC - window.filledSec) * 1000, 50);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      if (this.#session !== session || window.filledSec < MIN_WINDOW_SEC) continue;
      nextAtMs = performance.now() + RECHECK_SEC * 1000;
      const channels = [window.latest()];
      let result: QueryResult | null;
      try {
        // Not abortable on purpose: aborting terminates a worker, and the matcher would have
        // to rebuild its index. A check still running at stop() finishes and is ignored.
        const fp = await this.engine.analyse('The microphone', { sampleRateHz: window.sampleRateHz, channels }, 'query');
        result = await this.engine.match(fp);
      } catch (e) {
        // Silence is not a failure here: there is just nothing to recognise yet.
        if ((e as Error)?.name === 'InputError') result = null;
        else {
          if (this.#session !== session) return;
          this.stop();
          this.#error = messageFor(e);
          this.#status = 'failed';
          return;
        }
      }
      if (this.#session !== session) return;
      this.#checks++;
      if (result) this.#searchedWorks = result.searchedWorks;
      this.#found = result ? liveMatchOf(result) : null;
      if (this.#found) this.#lastFoundAtMs = performance.now();
    }
  }
}

const KEY = Symbol('tunetrace-listen');

export function setListen(listen: ListenState): void {
  setContext(KEY, listen);
}

export function getListen(): ListenState {
  return getContext<ListenState>(KEY);
}
