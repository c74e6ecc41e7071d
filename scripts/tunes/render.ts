/**
 * Song → MIDI bytes (`renderMidi`) and Song → WAV (`renderWav`, via fluidsynth + sox).
 *
 * Renders are deterministic: fluidsynth has no random state in file rendering
 * (reverb/chorus are fixed, dither is off by default), and sox runs with `-R`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MidiWriter } from './midi.ts';
import type { Note, Part, Song } from './compose.ts';

const execFileP = promisify(execFile);

export const SOUNDFONT = process.env.TUNETRACE_SF2 ?? '/usr/share/sounds/sf2/FluidR3_GM.sf2';

export interface RenderOptions {
  /** shift all pitched notes (not drums) by this many semitones */
  transposeSemitones?: number;
  /**
   * Time-stretch factor applied to every start/duration: output duration /
   * original duration (1.1 = 10 % longer, i.e. slower). Same meaning as
   * `timeRatio` in bench/corpus/truth.ts.
   */
  timeRatio?: number;
  /** only render these parts (default: all) */
  parts?: Part[];
  /** replace the GM program of a part (e.g. { melody: 73 } = flute) */
  programOverride?: Partial<Record<Part, number>>;
}

/** Notes after applying the render options (useful for truth bookkeeping). */
export function transformNotes(song: Song, opts: RenderOptions = {}): Note[] {
  const tr = opts.transposeSemitones ?? 0;
  const k = opts.timeRatio ?? 1;
  const keep = opts.parts ? new Set(opts.parts) : null;
  return song.notes
    .filter((n) => !keep || keep.has(n.part))
    .map((n) => ({
      ...n,
      start: n.start * k,
      dur: n.dur * k,
      pitch: n.part === 'drums' ? n.pitch : n.pitch + tr,
      program: opts.programOverride?.[n.part] ?? n.program,
    }));
}

export function renderMidi(song: Song, opts: RenderOptions = {}): Uint8Array {
  const k = opts.timeRatio ?? 1;
  const mw = new MidiWriter(960);
  mw.setTempo(song.bpm / k);
  const notes = transformNotes(song, opts);
  const keep = opts.parts ? new Set(opts.parts) : null;
  for (const info of song.parts) {
    if (keep && !keep.has(info.part)) continue;
    const tr = mw.addTrack(info.part);
    const program = opts.programOverride?.[info.part] ?? info.program;
    MidiWriter.controlChange(tr, 0, info.channel, 7, info.volume);
    MidiWriter.controlChange(tr, 0, info.channel, 10, info.pan);
    MidiWriter.controlChange(tr, 0, info.channel, 91, 40); // reverb send
    MidiWriter.controlChange(tr, 0, info.channel, 93, 0); // chorus send
    if (info.channel !== 9) MidiWriter.programChange(tr, 0, info.channel, program);
    for (const n of notes) {
      if (n.part !== info.part) continue;
      MidiWriter.note(tr, mw.secToTick(n.start), mw.secToTick(n.start + n.dur), n.channel, n.pitch, n.velocity);
    }
  }
  return mw.toBytes();
}

export interface WavOptions extends RenderOptions {
  /** output sample rate (default 22050) */
  sampleRate?: number;
  /** output channels (default 1) */
  channels?: 1 | 2;
  /** peak normalisation in dBFS (default -1) */
  normDb?: number;
}

/** Run an external tool; throws with stderr on failure. */
export async function run(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileP(cmd, args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.stderr || err.message}`);
  }
}

/**
 * Render a song to a 16-bit WAV whose length is exactly the (time-stretched)
 * song duration, peak-normalised.
 */
export async function renderWav(song: Song, outWav: string, opts: WavOptions = {}): Promise<void> {
  const sr = opts.sampleRate ?? 22050;
  const ch = opts.channels ?? 1;
  const dur = song.durationSec * (opts.timeRatio ?? 1);
  const tmp = await mkdtemp(join(tmpdir(), 'tt-render-'));
  try {
    const mid = join(tmp, 'in.mid');
    const raw = join(tmp, 'raw.wav');
    await writeFile(mid, renderMidi(song, opts));
    // Render at 44.1 kHz (FluidR3 sounds best there), resample with sox.
    await run('fluidsynth', [
      '-ni', '-q', '-T', 'wav', '-F', raw, '-r', '44100', '-g', '0.5',
      '-o', 'synth.reverb.active=1', '-o', 'synth.chorus.active=0',
      '-o', 'synth.cpu-cores=1',
      SOUNDFONT, mid,
    ]);
    await run('sox', [
      '-R', '-V1', raw, '-b', '16', '-r', String(sr), '-c', String(ch), outWav,
      'trim', '0', dur.toFixed(6), 'pad', '0', '0.1', 'trim', '0', dur.toFixed(6),
      'fade', 't', '0', dur.toFixed(6), '0.4',
      'gain', '-n', String(opts.normDb ?? -1),
    ]);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
