/**
 * Generates the bundled demo assets in public/demo/ (run: `npm run demo:make`).
 *
 *   public/demo/works/*.opus   5 original generated works (catalog)
 *   public/demo/ai-track.opus  a "generated track" that reuses four works: copied, re-keyed and re-timed, its melody
 *                              only, and laid 10 dB under other music
 *   public/demo/manifest.json  titles, durations and the exact reuse truth
 *   public/demo/LICENSE.md
 *
 * Fully deterministic: seeded composer, fluidsynth, sox -R, bit-exact ffmpeg.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeTune, describeSong, type Song, type Style } from './tunes/compose.ts';
import { renderWav, run } from './tunes/render.ts';
import { addNoiseAtGain, duck, mixInto, noiseGainFor, normalizePeak, readWav, rms, silence, slice, writeWav, dbToGain } from './tunes/wav.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'public/demo');
const SR = 48000;
const CHANNELS = 2;
const BITRATE = '72k';

interface WorkSpec {
  id: string;
  title: string;
  style: Style;
  seed: number;
  mode?: 'major' | 'minor';
}

const WORKS: WorkSpec[] = [
  { id: 'night-drive', title: 'Night Drive', style: 'synth-pop', seed: 101, mode: 'minor' },
  { id: 'harbour-lights', title: 'Harbour Lights', style: 'piano-ballad', seed: 202, mode: 'major' },
  { id: 'copper-kettle-reel', title: 'Copper Kettle Reel', style: 'folk-guitar', seed: 303 },
  { id: 'glass-garden', title: 'Glass Garden', style: 'mallets', seed: 404 },
  { id: 'blue-corner', title: 'Blue Corner', style: 'jazz', seed: 505 },
];
const FILLER: { style: Style; seed: number } = { style: 'ambient', seed: 909 };
const COMPOSER = 'Tunetrace procedural generator (scripts/tunes/compose.ts)';

/** First seed ≥ spec.seed whose song is 25–35 s (and of the wanted mode). */
function pickSong(spec: { style: Style; seed: number; mode?: string }, minSec = 25, maxSec = 35, targetSec = 30): Song {
  for (let s = spec.seed; s < spec.seed + 200; s++) {
    const song = composeTune(s, spec.style, { targetSec });
    if (song.durationSec >= minSec && song.durationSec <= maxSec && (!spec.mode || song.mode === spec.mode)) return song;
  }
  throw new Error(`no seed found for ${spec.style}`);
}

async function encodeOpus(wav: string, out: string): Promise<void> {
  await run('ffmpeg', [
    '-y', '-v', 'error', '-i', wav, '-c:a', 'libopus', '-b:a', BITRATE, '-ar', String(SR),
    '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:a', '+bitexact', out,
  ]);
}

async function probeDuration(file: string): Promise<number> {
  const out = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Math.round(parseFloat(out.trim()) * 1000) / 1000;
}

async function main() {
  const tmp = await mkdtemp(join(tmpdir(), 'tt-demo-'));
  await rm(OUT, { recursive: true, force: true });
  await mkdir(join(OUT, 'works'), { recursive: true });
  try {
    const works = [];
    const wavs: Record<string, string> = {};
    const songs: Record<string, Song> = {};
    for (const spec of WORKS) {
      const song = pickSong(spec);
      console.log(`${spec.title}: ${describeSong(song)}`);
      const wav = join(tmp, `${spec.id}.wav`);
      await renderWav(song, wav, { sampleRate: SR, channels: CHANNELS });
      wavs[spec.id] = wav;
      songs[spec.id] = song;
      const file = `works/${spec.id}.opus`;
      await encodeOpus(wav, join(OUT, file));
      works.push({
        id: spec.id, title: spec.title, file, durationSec: await probeDuration(join(OUT, file)),
        composer: COMPOSER, licence: 'CC0-1.0',
        generator: { style: song.style, seed: song.seed, bpm: song.bpm, key: `${song.tonic}/${song.mode}` },
      });
    }

    // ---- the demo "AI track": filler bed + three reused spans, then a tail with a fourth work buried
    const TRACK_SEC = 60;
    const TAIL_SEC = 8;
    const fillerSong = pickSong(FILLER, 62, 90, 66);
    console.log(`filler: ${describeSong(fillerSong)}`);
    const fillerWav = join(tmp, 'filler.wav');
    await renderWav(fillerSong, fillerWav, { sampleRate: SR, channels: CHANNELS });
    const filler = await readWav(fillerWav);
    const bed = silence(SR, CHANNELS, TRACK_SEC * SR);
    mixInto(bed, slice(filler, 0, TRACK_SEC), 0, 1, 0);
    const bedRms = rms(bed);

    const truth = [];
    // 1) Night Drive replaces the bed (crossfade): query 8–20 s ← ref 4–16 s
    {
      const work = await readWav(wavs['night-drive']);
      const span = slice(work, 4.0, 16.0);
      const g = bedRms / (rms(span) || 1);
      duck(bed, 8.0, 20.0, dbToGain(-18), 0.5);
      mixInto(bed, span, 8.0, g, 0.5);
      truth.push({ workId: 'night-drive', queryStartSec: 8.0, queryEndSec: 20.0, refStartSec: 4.0, refEndSec: 16.0, timeRatio: 1, pitchShiftSemitones: 0 });
    }
    // 2) Harbour Lights, 2 semitones up and 5 % faster (as AI tools re-key and re-time a borrowed
    //    passage), crossfaded in over the bed: query 28–38.48 s ← ref 6–17 s
    {
      const work = await readWav(wavs['harbour-lights']);
      const plainWav = join(tmp, 'harbour-span.wav');
      const shiftedWav = join(tmp, 'harbour-span-shifted.wav');
      await writeWav(plainWav, slice(work, 6.0, 17.0));
      await run('sox', ['-R', plainWav, shiftedWav, 'pitch', '200', 'tempo', '1.05']);
      const span = await readWav(shiftedWav);
      const spanSec = span.channels[0].length / span.sampleRate;
      const g = bedRms / (rms(span) || 1);
      duck(bed, 28.0, 28.0 + spanSec, dbToGain(-18), 0.5);
      mixInto(bed, span, 28.0, g, 0.4);
      truth.push({
        workId: 'harbour-lights', queryStartSec: 28.0, queryEndSec: Math.round((28.0 + spanSec) * 1000) / 1000, refStartSec: 6.0, refEndSec: 17.0,
        timeRatio: Math.round((1 / 1.05) * 1e6) / 1e6, pitchShiftSemitones: 2,
      });
    }
    // 3) Blue Corner's melody, never its audio: re-played on a flute, 3 semitones up and 10 % slower,
    //    over the bed lowered by 18 dB: query 46–58 s ← ref 4–14.9 s (melody evidence)
    {
      const melodyWav = join(tmp, 'blue-corner-melody.wav');
      await renderWav(songs['blue-corner'], melodyWav, {
        sampleRate: SR, channels: CHANNELS, parts: ['melody'], programOverride: { melody: 73 }, transposeSemitones: 3, timeRatio: 1.1,
      });
      const span = slice(await readWav(melodyWav), 4.0 * 1.1, 14.9 * 1.1);
      const spanSec = span.channels[0].length / span.sampleRate;
      const g = bedRms / (rms(span) || 1);
      duck(bed, 46.0, 46.0 + spanSec, dbToGain(-18), 0.5);
      mixInto(bed, span, 46.0, g, 0.4);
      truth.push({
        workId: 'blue-corner', evidence: 'melody', queryStartSec: 46.0, queryEndSec: Math.round((46.0 + spanSec) * 1000) / 1000,
        refStartSec: 4.0, refEndSec: 14.9, timeRatio: 1.1, pitchShiftSemitones: 3,
      });
    }
    const noiseGain = noiseGainFor(bed, 25);
    addNoiseAtGain(bed, 'white', noiseGain, 4242);
    // 4) A tail where the filler goes on with Glass Garden laid 10 dB under it, never brought up (as AI
    //    tools bury a borrowed loop under new parts): query 60–68 s ← ref 8–16 s. Masked pairs find it
    //    (README, algorithm). Made apart and appended, with noise of the same level, so the first 60 s
    //    are the same as before it was added.
    const tail = silence(SR, CHANNELS, TAIL_SEC * SR);
    mixInto(tail, slice(filler, TRACK_SEC, TRACK_SEC + TAIL_SEC), 0, 1, 0);
    {
      const span = slice(await readWav(wavs['glass-garden']), 8.0, 8.0 + TAIL_SEC);
      mixInto(tail, span, 0, (rms(tail) / (rms(span) || 1)) * dbToGain(-10), 0.3);
      truth.push({ workId: 'glass-garden', queryStartSec: TRACK_SEC, queryEndSec: TRACK_SEC + TAIL_SEC, refStartSec: 8.0, refEndSec: 8.0 + TAIL_SEC, timeRatio: 1, pitchShiftSemitones: 0 });
    }
    addNoiseAtGain(tail, 'white', noiseGain, 4343);
    const track = silence(SR, CHANNELS, (TRACK_SEC + TAIL_SEC) * SR);
    mixInto(track, bed, 0);
    mixInto(track, tail, TRACK_SEC);
    normalizePeak(track, -1);
    const trackWav = join(tmp, 'ai-track.wav');
    await writeWav(trackWav, track);
    await encodeOpus(trackWav, join(OUT, 'ai-track.opus'));

    const manifest = {
      version: 1,
      works,
      track: {
        file: 'ai-track.opus',
        title: 'Demo AI track',
        durationSec: await probeDuration(join(OUT, 'ai-track.opus')),
        description:
          'New generated filler music (not in the catalog) with 12 s of "Night Drive" crossfaded in, unchanged, and 11 s of "Harbour Lights" shifted up 2 semitones and played 5 % faster, crossfaded in; then the melody of "Blue Corner" (not its audio) re-played on a flute, 3 semitones up and 10 % slower; white noise at 25 dB SNR; then 8 s where the filler goes on with "Glass Garden" laid 10 dB under it, never brought up.',
        truth,
      },
    };
    await writeFile(join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    await writeFile(join(OUT, 'LICENSE.md'), LICENSE_MD);
    console.log(`wrote ${OUT}`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const LICENSE_MD = `# Demo audio licence

All audio in this folder (\`works/*.opus\`, \`ai-track.opus\`) consists of **original
compositions generated by Tunetrace's own procedural composer**
(\`scripts/tunes/compose.ts\`, seeded, deterministic). No existing song, melody or
recording is used. The compositions and these renderings are dedicated to the public
domain under **CC0-1.0** (https://creativecommons.org/publicdomain/zero/1.0/).

The titles ("Night Drive", "Harbour Lights", …) are names we gave to the generated
pieces; any resemblance to other works of the same name is coincidental.

## Instrument samples

The MIDI produced by the composer is rendered with FluidSynth using the
**FluidR3_GM** General MIDI SoundFont by **Frank Wen** (and contributors), licensed
under the **MIT licence**, as shipped in the Debian package \`fluid-soundfont-gm\`
(\`/usr/share/sounds/sf2/FluidR3_GM.sf2\`; licence text in
\`/usr/share/doc/fluid-soundfont-gm/copyright\`).

## Regenerating

Requires \`fluidsynth\`, \`fluid-soundfont-gm\`, \`sox\` and \`ffmpeg\` (with libopus):

    npm run demo:make        # = npx tsx scripts/make-demo.ts

The output is deterministic: the same tools produce the same files.
\`manifest.json\` records, for the demo track, exactly which spans of which works were
reused and where.
`;

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
