import type { MatchSegment } from '../core/types';
import { clamp, playbackRateForB, trackTimeFor, workTimeFor } from './ab-align';

export type ABSide = 'A' | 'B';
/**
 * loading: reading the work's audio; ready; no-audio: the work was stored without it; no-recording: the work is a
 * melody from MIDI (there is no recording of it); missing: the work left the catalog.
 */
export type ABStatus = 'loading' | 'ready' | 'no-audio' | 'no-recording' | 'missing' | 'failed';

/** Media time is checked this often while playing: `timeupdate` alone fires only every ~250 ms. */
const TICK_MS = 30;

/**
 * A/B listening for one segment: A is the track's span, B the work's matching span,
 * each in its own <audio> element. Play runs A, then B; toggle jumps to the other side
 * at the aligned point. B plays at 1 / timeRatio so it keeps pace with A.
 */
export class ABState {
  #status = $state<ABStatus>('loading');
  #side = $state<ABSide>('A');
  #playing = $state(false);
  /** Position in the current side's own time, seconds. */
  #positionSec = $state(0);
  #workUrl = $state<string | null>(null);
  #a?: HTMLAudioElement;
  #b?: HTMLAudioElement;
  #timer?: ReturnType<typeof setInterval>;
  #disposed = false;

  readonly rateB: number;

  constructor(readonly segment: MatchSegment, readonly trackUrl: string) {
    this.rateB = playbackRateForB(segment);
    this.#positionSec = segment.queryStartSec;
  }

  get status(): ABStatus { return this.#status; }
  get side(): ABSide { return this.#side; }
  get playing(): boolean { return this.#playing; }
  get positionSec(): number { return this.#positionSec; }
  get workUrl(): string | null { return this.#workUrl; }

  /** Reads the work's audio; `workAudio` resolves undefined when it was not kept. A melody-only work has none to read. */
  async load(workAudio: (workId: string) => Promise<Blob | undefined>, workExists: boolean, melodyOnly = false): Promise<void> {
    if (!workExists) {
      this.#status = 'missing';
      return;
    }
    if (melodyOnly) {
      this.#status = 'no-recording';
      return;
    }
    try {
      const blob = await workAudio(this.segment.workId);
      if (this.#disposed) return;
      if (!blob) {
        this.#status = 'no-audio';
        return;
      }
      this.#workUrl = URL.createObjectURL(blob);
      this.#status = 'ready';
    } catch {
      this.#status = 'failed';
    }
  }

  /** The component's two audio elements: A plays the track, B the work. */
  attach(a: HTMLAudioElement, b: HTMLAudioElement): void {
    this.#a = a;
    this.#b = b;
    // A new src resets playbackRate to the default rate.
    b.defaultPlaybackRate = this.rateB;
    b.playbackRate = this.rateB;
  }

  /** Plays A from the segment's start; B follows when A's span ends. */
  async play(): Promise<void> {
    const { a, b } = this.elements();
    if (!a || !b) return;
    b.pause();
    b.currentTime = this.segment.refStartSec;
    a.currentTime = this.segment.queryStartSec;
    this.#side = 'A';
    await this.start(a);
  }

  /** Switches to the other side at the aligned point, playing if the current side was playing. */
  async toggle(): Promise<void> {
    const { a, b } = this.elements();
    if (!a || !b) return;
    const s = this.segment;
    const wasPlaying = this.#playing;
    this.halt();
    if (this.#side === 'A') {
      b.currentTime = clamp(workTimeFor(s, clamp(a.currentTime, s.queryStartSec, s.queryEndSec)), s.refStartSec, s.refEndSec);
      b.playbackRate = this.rateB;
      this.#side = 'B';
    } else {
      a.currentTime = clamp(trackTimeFor(s, clamp(b.currentTime, s.refStartSec, s.refEndSec)), s.queryStartSec, s.queryEndSec);
      this.#side = 'A';
    }
    this.#positionSec = this.#side === 'A' ? a.currentTime : b.currentTime;
    if (wasPlaying) await this.start(this.#side === 'A' ? a : b);
  }

  stop(): void {
    this.halt();
  }

  dispose(): void {
    this.#disposed = true;
    this.halt();
    if (this.#workUrl) URL.revokeObjectURL(this.#workUrl);
    this.#workUrl = null;
  }

  private elements(): { a?: HTMLAudioElement; b?: HTMLAudioElement } {
    return this.#status === 'ready' ? { a: this.#a, b: this.#b } : {};
  }

  private async start(el: HTMLAudioElement): Promise<void> {
    if (el === this.#b) el.playbackRate = this.rateB;
    this.#playing = true;
    clearInterval(this.#timer);
    this.#timer = setInterval(() => this.tick(), TICK_MS);
    try {
      await el.play();
    } catch {
      // Interrupted by a pause or a toggle: that call already set the state.
    }
  }

  private halt(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#a?.pause();
    this.#b?.pause();
    this.#playing = false;
  }

  /** Ends A's span by handing over to B, and B's span by stopping. */
  private tick(): void {
    const a = this.#a;
    const b = this.#b;
    if (!a || !b) return;
    const s = this.segment;
    if (this.#side === 'A') {
      this.#positionSec = a.currentTime;
      if (a.currentTime >= s.queryEndSec || a.ended) {
        a.pause();
        b.currentTime = s.refStartSec;
        this.#side = 'B';
        this.#positionSec = s.refStartSec;
        void this.start(b);
      }
    } else {
      this.#positionSec = b.currentTime;
      if (b.currentTime >= s.refEndSec || b.ended) this.halt();
    }
  }
}
