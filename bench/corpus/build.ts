/**
 * Benchmark corpus builder.
 *
 *   npx tsx bench/corpus/build.ts [dir] [--force]
 *
 * or from code: `await ensureCorpus('bench/.corpus')`. Builds references
 * (generated tunes + real tracker music from the Debian package pingus-data),
 * queries for every condition in ./conditions.ts, mixes and negatives, and
 * writes truth.json last. Skips everything if truth.json already has the
 * current GENERATOR_VERSION. Deterministic: seeded plans, sox -R, bit-exact ffmpeg.
 * Needs the Debian packages listed in bench/corpus/APT_PACKAGES.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { composeTune, makeRng, STYLES, type Part, type Song, type Style } from '../../scripts/tunes/compose.ts';
import { renderWav, run } from '../../scripts/tunes/render.ts';
import { addNoise, dbToGain, noise, duck, mixInto, normalizePeak, readWav, rms, silence, slice, writeWav, type Pcm } from '../../scripts/tunes/wav.ts';
import { CONDITIONS, SAMPLE_RATE, sox } from './conditions.ts';
import type { ExpectedSegment, QueryCase, RefWork, Truth } from './truth.ts';

export const GENERATOR_VERSION = 7;
const CONCURRENCY = 2;
/**
 * The plan's seed. CORPUS_SEED=N builds a held-out corpus (other tunes, other queries) into another folder, to check
 * that a change chosen on the bench holds on music it was not chosen on: `CORPUS_SEED=7 npx tsx bench/corpus/build.ts DIR`.
 */
const SEED = Number(process.env.CORPUS_SEED ?? 20240601);
const QUERIES_PER_CONDITION = 9;
const MELODY_QUERIES = 20;
/** Queries of each melody condition added in v7 (with drums; under noise). */
const MELODY_EXTRA_QUERIES = 10;
/** Overlays beyond the first three (generator v6). */
const EXTRA_OVERLAYS = 17;

/** Real music: pingus-data tracker modules that decode deterministically (others use random instrument swing). */
const PINGUS_DIR = '/usr/share/games/pingus/data/music';
const PINGUS_TRACKS = [
  'gd-giirm.s3m', 'gd-matth.it', 'gd-myla.it', 'goin_march.it', 'pingus-1.it', 'pingus-2.it',
  'pingus-4.it', 'pingus-6.it', 'pingus-8.it', 'the_big_march_in_space.it',
];

type Progress = (msg: string) => void;

async function pool<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

function durationOf(pcm: Pcm): number {
  return pcm.channels[0].length / pcm.sampleRate;
}

/**
 * An excerpt must hold sound: a real track can end in silence (pingus-2 is silent after 44 s), and
 * an excerpt of digital silence tests nothing. A silent pick moves back a second at a time to the
 * last audible one (−45 dBFS RMS); no random number is drawn, so every other excerpt stays as it was.
 */
function audibleOffset(pcm: Pcm, start: number, lenSec: number): number {
  for (let s = start; s >= 0.25; s = r6(s - 1)) if (rms(slice(pcm, s, s + lenSec)) >= dbToGain(-45)) return s;
  return start;
}

/** Random offset on a 0.02 s grid (441 samples at 22050 Hz, so exact). */
function pickOffset(rng: ReturnType<typeof makeRng>, refSec: number, lenSec: number): number {
  const steps = Math.floor((refSec - lenSec - 0.5) / 0.02);
  return r6(0.25 + rng.int(0, Math.max(0, steps)) * 0.02);
}

interface TuneJob { id: string; song: Song; file: string }

/** The 30 generated reference tunes (their scores): the corpus plan's first use of its random numbers. */
export function referenceTunes(rng = makeRng(SEED)): TuneJob[] {
  const jobs: TuneJob[] = [];
  for (let i = 0; i < 30; i++) {
    const style = STYLES[i % STYLES.length] as Style;
    const seed = 1000 + i * 17;
    const target = 30 + rng.int(0, 26);
    let song = composeTune(seed, style, { targetSec: target });
    for (let k = 1; (song.durationSec < 28 || song.durationSec > 64) && k < 20; k++) song = composeTune(seed + k * 1000, style, { targetSec: target });
    const id = `gen-${String(i + 1).padStart(2, '0')}-${style}`;
    jobs.push({ id, song, file: `refs/${id}.wav` });
  }
  return jobs;
}

export async function ensureCorpus(dir = 'bench/.corpus', opts: { onProgress?: Progress; force?: boolean } = {}): Promise<Truth> {
  const log: Progress = opts.onProgress ?? (() => {});
  const root = resolve(dir);
  const truthPath = join(root, 'truth.json');
  if (!opts.force && existsSync(truthPath)) {
    const t = JSON.parse(await readFile(truthPath, 'utf8')) as Truth;
    if (t.generatorVersion === GENERATOR_VERSION) return t;
    log(`corpus version ${t.generatorVersion} != ${GENERATOR_VERSION}: rebuilding`);
  }
  const t0 = Date.now();
  const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  await checkTools();
  for (const d of ['refs', 'queries', 'truth.json']) await rm(join(root, d), { recursive: true, force: true });
  await mkdir(join(root, 'refs'), { recursive: true });
  const tmpRoot = await mkdtemp(join(tmpdir(), 'tt-corpus-'));
  const rng = makeRng(SEED);

  try {
    // ------------------------------------------------------------ plan
    const refJobs = referenceTunes(rng);
    const styles = [...STYLES];
    // non-catalog tunes: negatives and mix fillers (different seed range)
    const negTunes: TuneJob[] = [];
    for (let i = 0; i < 15; i++) {
      const style = styles[(i * 3) % styles.length] as Style;
      negTunes.push({ id: `neg-${i}`, song: composeTune(90000 + i * 31, style, { targetSec: 24 }), file: '' });
    }
    const fillerTunes: TuneJob[] = [];
    for (let i = 0; i < 8; i++) {
      const style = styles[(i * 7 + 2) % styles.length] as Style;
      fillerTunes.push({ id: `filler-${i}`, song: composeTune(70000 + i * 13, style, { targetSec: 44 }), file: '' });
    }
    const drumSong = composeTune(123, 'rock-organ', { targetSec: 16 });

    // ------------------------------------------------------------ references
    log(`[${since()}] rendering ${refJobs.length} generated references…`);
    const refs: RefWork[] = [];
    const refPcm = new Map<string, Pcm>();
    await pool(refJobs, CONCURRENCY, async (job) => {
      await renderWav(job.song, join(root, job.file), { sampleRate: SAMPLE_RATE, channels: 1 });
    });
    for (const job of refJobs) {
      const pcm = await readWav(join(root, job.file));
      refPcm.set(job.id, pcm);
      refs.push({
        id: job.id, file: job.file, durationSec: r3(durationOf(pcm)),
        source: `generated: ${job.song.style} seed ${job.song.seed} (scripts/tunes/compose.ts, FluidR3_GM)`, licence: 'CC0-1.0',
      });
    }
    log(`[${since()}] decoding ${PINGUS_TRACKS.length} real tracks from pingus-data…`);
    if (!existsSync(PINGUS_DIR)) throw new Error(`${PINGUS_DIR} missing: apt-get install -y $(cat bench/corpus/APT_PACKAGES)`);
    await pool(PINGUS_TRACKS, CONCURRENCY, async (name) => {
      const id = `pingus-${name.replace(/\.[^.]+$/, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
      await run('ffmpeg', [
        '-y', '-v', 'error', '-i', join(PINGUS_DIR, name), '-t', '55', '-ac', '1', '-ar', String(SAMPLE_RATE),
        '-af', 'afade=t=out:st=54:d=1', '-c:a', 'pcm_s16le', '-fflags', '+bitexact', '-flags:a', '+bitexact', '-map_metadata', '-1',
        join(root, 'refs', `${id}.wav`),
      ]);
    });
    for (const name of PINGUS_TRACKS) {
      const id = `pingus-${name.replace(/\.[^.]+$/, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
      const file = `refs/${id}.wav`;
      const pcm = await readWav(join(root, file));
      normalizePeak(pcm, -1);
      await writeWav(join(root, file), pcm);
      refPcm.set(id, pcm);
      refs.push({
        id, file, durationSec: r3(durationOf(pcm)),
        source: `debian:pingus-data ${PINGUS_DIR}/${name} (first 55 s)`, licence: 'GPL-2.0-or-later',
      });
    }

    // ------------------------------------------------------------ condition queries
    interface QueryJob { cond: (typeof CONDITIONS)[number]; idx: number; refId: string; start: number; len: number; file: string; seed: number }
    const qjobs: QueryJob[] = [];
    for (const cond of CONDITIONS) {
      const n = cond.count ?? QUERIES_PER_CONDITION;
      const len = cond.excerptSec ?? 10;
      for (let k = 0; k < n; k++) {
        const ref = refs[rng.int(0, refs.length - 1)];
        const start = audibleOffset(refPcm.get(ref.id)!, pickOffset(rng, ref.durationSec, len), len);
        qjobs.push({ cond, idx: k, refId: ref.id, start, len, file: `queries/${cond.name}/${String(k).padStart(2, '0')}.wav`, seed: rng.int(1, 2 ** 30) });
      }
    }
    log(`[${since()}] building ${qjobs.length} condition queries (${CONDITIONS.length} conditions)…`);
    const queries: QueryCase[] = [];
    const results = new Map<QueryJob, QueryCase>();
    let done = 0;
    await pool(qjobs, CONCURRENCY, async (job, i) => {
      const tmp = join(tmpRoot, `q${i}`);
      await mkdir(tmp, { recursive: true });
      const excerpt = join(tmp, 'excerpt.wav');
      await writeWav(excerpt, slice(refPcm.get(job.refId)!, job.start, job.start + job.len));
      await mkdir(join(root, 'queries', job.cond.name), { recursive: true });
      const res = await job.cond.apply(excerpt, join(root, job.file), { tmpDir: tmp, seed: job.seed });
      await rm(tmp, { recursive: true, force: true });
      const qLen = job.len * res.timeRatio;
      results.set(job, {
        file: job.file, condition: job.cond.name, group: job.cond.group,
        expected: [{
          workId: job.refId, queryStartSec: 0, queryEndSec: r3(qLen), refStartSec: r3(job.start), refEndSec: r3(job.start + job.len),
          timeRatio: r6(res.timeRatio), pitchShiftSemitones: r6(res.pitchShiftSemitones),
        }],
      });
      if (++done % 40 === 0) log(`[${since()}]   ${done}/${qjobs.length} queries`);
    });
    for (const job of qjobs) queries.push(results.get(job)!);

    // ------------------------------------------------------------ non-catalog tunes
    log(`[${since()}] rendering ${negTunes.length + fillerTunes.length + 1} non-catalog tunes…`);
    const nc = join(tmpRoot, 'noncat');
    await mkdir(nc, { recursive: true });
    const allNc = [...negTunes, ...fillerTunes];
    await pool(allNc, CONCURRENCY, async (job) => renderWav(job.song, join(nc, `${job.id}.wav`), { sampleRate: SAMPLE_RATE, channels: 1 }));
    await renderWav(drumSong, join(nc, 'drums.wav'), { sampleRate: SAMPLE_RATE, channels: 1, parts: ['drums'] });

    // ------------------------------------------------------------ mixes
    log(`[${since()}] building mixes…`);
    await mkdir(join(root, 'queries', 'mix-sequence'), { recursive: true });
    await mkdir(join(root, 'queries', 'mix-overlay-10db'), { recursive: true });
    for (let m = 0; m < 5; m++) {
      const filler = await readWav(join(nc, `filler-${m}.wav`));
      const nWorks = 2 + (m % 2);
      const total = nWorks === 2 ? 32 : 40;
      const out = silence(SAMPLE_RATE, 1, total * SAMPLE_RATE);
      mixInto(out, slice(filler, 0, total), 0, 1, 0);
      const bedRms = rms(out);
      const expected: ExpectedSegment[] = [];
      const used = new Set<string>();
      let t = 4 + rng.int(0, 10) * 0.1;
      for (let w = 0; w < nWorks; w++) {
        let ref = refs[rng.int(0, refs.length - 1)];
        while (used.has(ref.id)) ref = refs[rng.int(0, refs.length - 1)];
        used.add(ref.id);
        const len = 8 + rng.int(0, 20) * 0.1;
        const start = audibleOffset(refPcm.get(ref.id)!, pickOffset(rng, ref.durationSec, len), len);
        const span = slice(refPcm.get(ref.id)!, start, start + len);
        const at = r6(Math.round(t * 50) / 50);
        duck(out, at, at + len, dbToGain(-24), 0.3);
        mixInto(out, span, at, bedRms / (rms(span) || 1), 0.3);
        expected.push({ workId: ref.id, queryStartSec: r3(at), queryEndSec: r3(at + len), refStartSec: r3(start), refEndSec: r3(start + len), timeRatio: 1, pitchShiftSemitones: 0 });
        t = at + len + 3 + rng.int(0, 20) * 0.1;
      }
      normalizePeak(out, -1);
      const file = `queries/mix-sequence/${String(m).padStart(2, '0')}.wav`;
      await writeWav(join(root, file), out);
      queries.push({ file, condition: 'mix-sequence', group: 'mix', expected });
    }
    // A work −10 dB under other music (a filler tune): found, and over how much of its span.
    const overlay = async (m: number, bed: Pcm, bedStartSec: number, draw: ReturnType<typeof makeRng>) => {
      const total = 34;
      const out = silence(SAMPLE_RATE, 1, total * SAMPLE_RATE);
      mixInto(out, slice(bed, bedStartSec, bedStartSec + total), 0, 1, 0);
      const bedRms = rms(out);
      const ref = refs[draw.int(0, refs.length - 1)];
      const len = 12 + draw.int(0, 3);
      const start = audibleOffset(refPcm.get(ref.id)!, pickOffset(draw, ref.durationSec, len), len);
      const span = slice(refPcm.get(ref.id)!, start, start + len);
      const at = 6 + draw.int(0, 100) * 0.1;
      mixInto(out, span, at, (bedRms / (rms(span) || 1)) * dbToGain(-10), 0.2);
      normalizePeak(out, -1);
      const file = `queries/mix-overlay-10db/${String(m).padStart(2, '0')}.wav`;
      await writeWav(join(root, file), out);
      queries.push({
        file, condition: 'mix-overlay-10db', group: 'mix',
        expected: [{ workId: ref.id, queryStartSec: r3(at), queryEndSec: r3(at + len), refStartSec: r3(start), refEndSec: r3(start + len), timeRatio: 1, pitchShiftSemitones: 0 }],
      });
    };
    for (let m = 0; m < 3; m++) await overlay(m, await readWav(join(nc, `filler-${5 + m}.wav`)), 0, rng);
    // (More overlays, v6: three made too few to measure a recall. They draw from their own random
    // sequence, after every other query, so every file of v5 stays byte-identical.)
    const overlayRng = makeRng(SEED + 1);
    for (let m = 3; m < 3 + EXTRA_OVERLAYS; m++) {
      const bed = await readWav(join(nc, `filler-${m % fillerTunes.length}.wav`));
      await overlay(m, bed, overlayRng.int(0, 8), overlayRng);
    }

    // Sequences of transformed works: each span re-keyed (±1–2 semitones) or re-timed (×0.93–1.07)
    // with sox before it is laid over the filler, as AI tools re-use parts.
    await mkdir(join(root, 'queries', 'mix-transformed'), { recursive: true });
    for (let m = 0; m < 5; m++) {
      const filler = await readWav(join(nc, `filler-${(m + 3) % fillerTunes.length}.wav`));
      const nWorks = 2 + (m % 2);
      const total = nWorks === 2 ? 34 : 44;
      const out = silence(SAMPLE_RATE, 1, total * SAMPLE_RATE);
      mixInto(out, slice(filler, 0, total), 0, 1, 0);
      const bedRms = rms(out);
      const expected: ExpectedSegment[] = [];
      const used = new Set<string>();
      let t = 3 + rng.int(0, 10) * 0.1;
      for (let w = 0; w < nWorks; w++) {
        let ref = refs[rng.int(0, refs.length - 1)];
        while (used.has(ref.id)) ref = refs[rng.int(0, refs.length - 1)];
        used.add(ref.id);
        const len = 7 + rng.int(0, 20) * 0.1;
        const start = audibleOffset(refPcm.get(ref.id)!, pickOffset(rng, ref.durationSec, len), len);
        const raw = join(tmpRoot, `mixt-${m}-${w}.wav`);
        const moved = join(tmpRoot, `mixt-${m}-${w}-moved.wav`);
        await writeWav(raw, slice(refPcm.get(ref.id)!, start, start + len));
        let timeRatio = 1;
        let shift = 0;
        if (rng.int(0, 1) === 0) {
          shift = [-2, -1, 1, 2][rng.int(0, 3)];
          await sox(raw, moved, ['pitch', String(shift * 100)]);
        } else {
          const factor = r6(0.93 + rng.int(0, 14) * 0.01);
          timeRatio = r6(1 / factor);
          await sox(raw, moved, ['tempo', '-m', String(factor)]);
        }
        const span = await readWav(moved);
        const spanSec = durationOf(span);
        const at = r6(Math.round(t * 50) / 50);
        if (at + spanSec > total - 0.5) throw new Error('mix-transformed: spans overrun the track');
        duck(out, at, at + spanSec, dbToGain(-24), 0.3);
        mixInto(out, span, at, bedRms / (rms(span) || 1), 0.3);
        expected.push({ workId: ref.id, queryStartSec: r3(at), queryEndSec: r3(at + spanSec), refStartSec: r3(start), refEndSec: r3(start + len), timeRatio, pitchShiftSemitones: shift });
        t = at + spanSec + 2 + rng.int(0, 10) * 0.1;
      }
      normalizePeak(out, -1);
      const file = `queries/mix-transformed/${String(m).padStart(2, '0')}.wav`;
      await writeWav(join(root, file), out);
      queries.push({ file, condition: 'mix-transformed', group: 'mix', expected });
    }

    // ------------------------------------------------------------ melody reuse
    // The catalog work's melody, never its audio: re-rendered with another instrument, transposed
    // −5…+6 semitones and re-timed ×0.8…1.2, alone (`melody-solo`) or re-orchestrated with its
    // bass and chords on other instruments (`melody-arranged`); 20 s from a random place.
    log(`[${since()}] building melody queries…`);
    const LEADS = [73, 40, 56, 71, 53, 65, 11, 80, 68, 22];
    const PADS = [48, 89, 19, 4, 46];
    /** 20 s of a work's melody re-played from its score with `parts`, transposed and re-timed; `post` may change the audio. */
    const melodyQuery = async (condition: string, k: number, parts: readonly Part[], draw: ReturnType<typeof makeRng>, post?: (pcm: Pcm) => void) => {
      await mkdir(join(root, 'queries', condition), { recursive: true });
      const job = refJobs[draw.int(0, refJobs.length - 1)];
      let transpose = draw.int(-5, 6);
      if (transpose === 0) transpose = 2;
      const timeRatio = r6(0.8 + draw.int(0, 40) * 0.01);
      const lenSec = 20;
      const refLenSec = lenSec / timeRatio;
      const refStart = pickOffset(draw, job.song.durationSec, refLenSec);
      const full = join(tmpRoot, `${condition}-${k}.wav`);
      await renderWav(job.song, full, {
        sampleRate: SAMPLE_RATE, channels: 1, parts: [...parts], transposeSemitones: transpose, timeRatio,
        programOverride: { melody: LEADS[draw.int(0, LEADS.length - 1)], chords: PADS[draw.int(0, PADS.length - 1)], bass: 33 },
      });
      const pcm = slice(await readWav(full), refStart * timeRatio, refStart * timeRatio + lenSec);
      post?.(pcm);
      const file = `queries/${condition}/${String(k).padStart(2, '0')}.wav`;
      await writeWav(join(root, file), pcm);
      queries.push({
        file, condition, group: 'melody',
        expected: [{ workId: job.id, queryStartSec: 0, queryEndSec: lenSec, refStartSec: r3(refStart), refEndSec: r3(refStart + refLenSec), timeRatio, pitchShiftSemitones: transpose }],
      });
    };
    for (const [condition, parts] of [['melody-solo', ['melody']], ['melody-arranged', ['melody', 'bass', 'chords']]] as const) {
      for (let k = 0; k < MELODY_QUERIES; k++) await melodyQuery(condition, k, parts, rng);
    }

    // An 8–15 s phrase of a work's melody, re-played (another instrument, key and tempo) and
    // laid over unrelated music (a non-catalog tune at the same level): a quotation.
    await mkdir(join(root, 'queries', 'melody-quoted'), { recursive: true });
    for (let k = 0; k < 10; k++) {
      const job = refJobs[rng.int(0, refJobs.length - 1)];
      let transpose = rng.int(-5, 6);
      if (transpose === 0) transpose = -3;
      const timeRatio = r6(0.8 + rng.int(0, 40) * 0.01);
      const phraseSec = 8 + rng.int(0, 70) * 0.1;
      const refLenSec = phraseSec / timeRatio;
      const refStart = pickOffset(rng, job.song.durationSec, refLenSec);
      const full = join(tmpRoot, `melody-quoted-${k}.wav`);
      await renderWav(job.song, full, {
        sampleRate: SAMPLE_RATE, channels: 1, parts: ['melody'], transposeSemitones: transpose, timeRatio,
        programOverride: { melody: LEADS[rng.int(0, LEADS.length - 1)] },
      });
      const phrase = slice(await readWav(full), refStart * timeRatio, refStart * timeRatio + phraseSec);
      const bed = await readWav(join(nc, `filler-${k % fillerTunes.length}.wav`));
      const total = 30;
      const out = silence(SAMPLE_RATE, 1, total * SAMPLE_RATE);
      mixInto(out, slice(bed, 4, 4 + total), 0, 1, 0);
      const at = r6(Math.round((3 + rng.int(0, 60) * 0.1) * 50) / 50);
      mixInto(out, phrase, at, rms(out) / (rms(phrase) || 1), 0.05);
      normalizePeak(out, -1);
      const file = `queries/melody-quoted/${String(k).padStart(2, '0')}.wav`;
      await writeWav(join(root, file), out);
      queries.push({
        file, condition: 'melody-quoted', group: 'melody',
        expected: [{ workId: job.id, queryStartSec: at, queryEndSec: r3(at + phraseSec), refStartSec: r3(refStart), refEndSec: r3(refStart + refLenSec), timeRatio, pitchShiftSemitones: transpose }],
      });
    }

    // ------------------------------------------------------------ negatives
    log(`[${since()}] building negatives…`);
    const negDir = join(root, 'queries', 'negative');
    await mkdir(negDir, { recursive: true });
    const neg = (name: string, condition: string) => {
      queries.push({ file: `queries/negative/${name}.wav`, condition, group: 'negative', expected: [] });
      return join(negDir, `${name}.wav`);
    };
    for (const job of negTunes) {
      const pcm = await readWav(join(nc, `${job.id}.wav`));
      const start = pickOffset(rng, durationOf(pcm), 10);
      await writeWav(neg(`tune-${job.id.slice(4).padStart(2, '0')}-${job.song.style}`, 'negative-tune'), slice(pcm, start, start + 10));
    }
    const speech = [
      ['en-us', 'Welcome back to the evening programme. Tonight we talk about gardens, rivers and the long summer that never seemed to end.'],
      ['en-gb+f3', 'Please remember to check the batteries in your smoke alarm at least once a month, and keep the exits clear at all times.'],
      ['de', 'Heute Abend gibt es im Norden zeitweise Regen, im Süden bleibt es überwiegend trocken bei milden Temperaturen.'],
    ] as const;
    for (let i = 0; i < speech.length; i++) {
      const raw = join(tmpRoot, `speech${i}.wav`);
      await run('espeak-ng', ['-v', speech[i][0], '-s', '150', '-w', raw, speech[i][1]]);
      await sox(raw, neg(`speech-${i}`, 'negative-speech'), ['pad', '0.5', '10', 'trim', '0', '10']);
    }
    for (const [name, kind] of [['white-noise', 'white'], ['pink-noise', 'pink']] as const) {
      const nz = noise(kind, 10 * SAMPLE_RATE, kind === 'white' ? 11 : 12);
      for (let i = 0; i < nz.length; i++) nz[i] *= 0.1; // RMS 0.1 (−20 dBFS)
      const pcm: Pcm = { sampleRate: SAMPLE_RATE, channels: [nz] };
      await writeWav(neg(name, 'negative-noise'), pcm);
    }
    await writeWav(neg('silence', 'negative-silence'), silence(SAMPLE_RATE, 1, 10 * SAMPLE_RATE));
    {
      const pcm = await readWav(join(nc, 'drums.wav'));
      const out = slice(pcm, 0, 10);
      normalizePeak(out, -1);
      await writeWav(neg('drum-loop', 'negative-drums'), out);
    }
    const synth = async (name: string, args: string[]) =>
      run('sox', ['-R', '-D', '-V1', '-n', '-b', '16', '-r', String(SAMPLE_RATE), '-c', '1', neg(name, 'negative-tone'), 'synth', '10', ...args, 'gain', '-6']);
    await synth('tone-440', ['sine', '440']);
    await synth('tone-chord', ['sine', '261.63', 'sine', '329.63', 'sine', '392']);
    await synth('sweep-100-5000', ['sine', '100-5000']);
    await synth('square-220', ['square', '220', 'gain', '-12']);

    // ------------------------------------------------------------ melody with drums, melody under noise (v7)
    // The melody re-orchestrated with drums too (`melody-band`), and re-orchestrated under white or
    // pink noise at 10 dB SNR (`melody-noisy`). They draw from their own random sequence, after every
    // other query, so every file of v6 stays byte-identical.
    {
      const bandRng = makeRng(SEED + 2);
      for (let k = 0; k < MELODY_EXTRA_QUERIES; k++) await melodyQuery('melody-band', k, ['melody', 'bass', 'chords', 'drums'], bandRng);
      for (let k = 0; k < MELODY_EXTRA_QUERIES; k++) {
        const kind = k % 2 === 0 ? 'white' : 'pink';
        await melodyQuery('melody-noisy', k, ['melody', 'bass', 'chords'], bandRng, (pcm) => {
          addNoise(pcm, kind, 10, SEED + 100 + k);
          normalizePeak(pcm, -1);
        });
      }
    }

    // ------------------------------------------------------------ truth
    const truth: Truth = { generatorVersion: GENERATOR_VERSION, refs, queries };
    await writeFile(truthPath, JSON.stringify(truth, null, 1) + '\n');
    const size = await dirSize(root);
    log(`[${since()}] corpus ready: ${refs.length} refs, ${queries.length} queries, ${(size / 1e6).toFixed(1)} MB in ${root}`);
    return truth;
  } finally {
    await rm(tmpRoot, { recursive: true, force: true });
  }
}

async function checkTools(): Promise<void> {
  for (const [cmd, args] of [['fluidsynth', ['--version']], ['sox', ['--version']], ['ffmpeg', ['-version']], ['espeak-ng', ['--version']]] as const) {
    try {
      await run(cmd, [...args]);
    } catch {
      throw new Error(`${cmd} not found: apt-get install -y $(cat bench/corpus/APT_PACKAGES)`);
    }
  }
}

async function dirSize(d: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    total += e.isDirectory() ? await dirSize(p) : (await stat(p)).size;
  }
  return total;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--')) ?? 'bench/.corpus';
  ensureCorpus(dir, { force: args.includes('--force'), onProgress: (m) => console.log(m) })
    .then((t) => console.log(`truth: ${t.refs.length} refs, ${t.queries.length} queries`))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
