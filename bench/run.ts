/**
 * npm run bench — accuracy and speed of the core, through the CLI's own code
 * path (decodeFile → Core.analyse → CatalogIndex.match), over the corpus built
 * by bench/corpus (known answers). Prints a table per condition and writes
 * bench/results/latest.json.
 *
 *   npm run bench [-- --corpus DIR] [-- --no-scale] [-- --only REGEX] [-- --core FILE.wasm]
 *
 * --only runs the query conditions whose names match (references are always indexed);
 * --core measures another build of the core (e.g. an experiment built with asc -o).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCorpus } from './corpus/build.ts';
import type { QueryCase, Truth } from './corpus/truth.ts';
import { loadCore } from '../src/cli/load-core.ts';
import { decodeFile } from '../src/cli/decode-node.ts';
import { CatalogIndex } from '../src/core/catalog-index.ts';
import { syntheticCatalog, joinReferences } from './synthetic.ts';
import type { Core } from '../src/core/wasm-core.ts';
import { analyseWithNotes } from '../src/core/note-line.ts';
import { packFingerprint, packedBytes } from '../src/core/feature-codec.ts';
import { featureBytes as featureBytesOf, type AudioInput, type Fingerprint, type MatchSegment, type QueryResult } from '../src/core/types.ts';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'bench/.corpus' },
    'no-scale': { type: 'boolean', default: false },
    only: { type: 'string' },
    core: { type: 'string' },
  },
});
const log = (m: string) => process.stderr.write(m + '\n');

interface CaseOutcome {
  file: string;
  /** The works the query should name, and those it named (each once, in track order). */
  expected: string[];
  found: string[];
  condition: string;
  group: string;
  negative: boolean;
  top1: boolean | null; // single-work queries
  locErrorSec: number | null;
  /** Found segment's query span vs the true one: the larger of the start and end errors. */
  spanErrorSec: number | null;
  ratioErrorRel: number | null; // |estimated − true| / true time ratio
  shiftErrorSt: number | null; // |estimated − true| pitch shift, semitones
  falseAlarm: boolean;
  recall: number | null; // mixes: found / expected works
  precision: number | null;
  shareErrors: number[]; // mixes: |share − truth| per work, in proportion
  unattributedError: number | null;
  analyseMs: number;
  matchMs: number;
  audioSec: number;
}

function channelsSec(a: AudioInput): number {
  return a.channels[0].length / a.sampleRateHz;
}

/** Predicted reference time of query time 0 from a segment (accounts for the segment's time ratio). */
function refAtQueryZero(m: MatchSegment): number {
  return m.refStartSec - m.queryStartSec / m.timeRatio;
}

function truthShares(c: QueryCase, durationSec: number): Map<string, number> {
  // Union of each work's spans, over the track length (works do not overlap in the corpus mixes).
  const out = new Map<string, number>();
  for (const e of c.expected) out.set(e.workId, (out.get(e.workId) ?? 0) + (e.queryEndSec - e.queryStartSec) / durationSec);
  return out;
}

function evaluate(c: QueryCase, r: QueryResult): Omit<CaseOutcome, 'analyseMs' | 'matchMs' | 'audioSec'> {
  const expectedIds = new Set(c.expected.map((e) => e.workId));
  const foundIds = new Set(r.matches.map((m) => m.workId));
  const falseAlarm = [...foundIds].some((id) => !expectedIds.has(id));
  const base = {
    file: c.file, expected: [...expectedIds], found: [...foundIds],
    condition: c.condition, group: c.group, negative: c.expected.length === 0, falseAlarm,
  };
  if (c.expected.length === 0) {
    return { ...base, top1: null, locErrorSec: null, spanErrorSec: null, ratioErrorRel: null, shiftErrorSt: null, recall: null, precision: null, shareErrors: [], unattributedError: null };
  }
  if (c.expected.length === 1 && c.group !== 'mix') {
    const e = c.expected[0];
    // Top-1: the segment with the most evidence names the right work.
    const best = r.matches.reduce<MatchSegment | undefined>((a, m) => (!a || m.hits > a.hits ? m : a), undefined);
    const top1 = best?.workId === e.workId;
    const truthRefAtZero = e.refStartSec - e.queryStartSec / e.timeRatio;
    const locErrorSec = top1 && best ? Math.abs(refAtQueryZero(best) - truthRefAtZero) : null;
    const spanErrorSec = top1 && best ? Math.max(Math.abs(best.queryStartSec - e.queryStartSec), Math.abs(best.queryEndSec - e.queryEndSec)) : null;
    const ratioErrorRel = top1 && best ? Math.abs(best.timeRatio - e.timeRatio) / e.timeRatio : null;
    const shiftErrorSt = top1 && best ? Math.abs(best.pitchShiftSemitones - e.pitchShiftSemitones) : null;
    return { ...base, top1, locErrorSec, spanErrorSec, ratioErrorRel, shiftErrorSt, recall: null, precision: null, shareErrors: [], unattributedError: null };
  }
  const found = [...expectedIds].filter((id) => foundIds.has(id)).length;
  const truth = truthShares(c, r.durationSec);
  const got = new Map(r.shares.map((s) => [s.workId, s.proportion]));
  const shareErrors = [...new Set([...truth.keys(), ...got.keys()])].map((id) => Math.abs((got.get(id) ?? 0) - (truth.get(id) ?? 0)));
  const truthUnattributed = 1 - [...truth.values()].reduce((a, b) => a + b, 0);
  return {
    ...base,
    top1: null,
    locErrorSec: null,
    spanErrorSec: null,
    ratioErrorRel: null,
    shiftErrorSt: null,
    recall: found / expectedIds.size,
    precision: foundIds.size ? found / foundIds.size : 1,
    shareErrors,
    unattributedError: Math.abs(r.unattributedSec / r.durationSec - truthUnattributed),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [line(rows[0]), '| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |', ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  const dir = resolve(values.corpus!);
  const t0 = performance.now();
  const truth: Truth = await ensureCorpus(dir, { onProgress: log });
  log(`corpus ready (${((performance.now() - t0) / 1000).toFixed(1)} s): ${truth.refs.length} references, ${truth.queries.length} queries`);
  const core = values.core ? await loadFreshCore() : await loadCore();
  const index = new CatalogIndex(core);

  // Index the references: analysis speed and index size.
  let refAudioSec = 0;
  let refAnalyseMs = 0;
  let featureBytes = 0;
  let arrayBytes = 0;
  let noteBytes = 0;
  const refPrints: Fingerprint[] = [];
  for (const ref of truth.refs) {
    const audio = await decodeFile(join(dir, ref.file));
    const t = performance.now();
    // As the app and the CLI do: the features, and the melody's notes kept to show the evidence.
    const fp = analyseWithNotes(core, audio);
    refAnalyseMs += performance.now() - t;
    refAudioSec += channelsSec(audio);
    // Stored as the app stores them (packed, storage/works.ts); the arrays the core made, for comparison.
    const withoutNotes = { ...fp, notes: undefined };
    featureBytes += packedBytes(packFingerprint(withoutNotes));
    const arrays = featureBytesOf(withoutNotes);
    arrayBytes += arrays;
    noteBytes += featureBytesOf(fp) - arrays;
    refPrints.push(fp);
    index.add({ id: ref.id, title: ref.id }, fp);
  }
  core.indexBuild();

  const outcomes: CaseOutcome[] = [];
  const only = values.only ? new RegExp(values.only) : null;
  for (const c of truth.queries) {
    if (only && !only.test(c.condition)) continue;
    const audio = await decodeFile(join(dir, c.file));
    const audioSec = channelsSec(audio);
    const t1 = performance.now();
    const fp = analyseWithNotes(core, audio, { role: 'query' });
    const t2 = performance.now();
    const r = index.match(fp);
    const t3 = performance.now();
    outcomes.push({ ...evaluate(c, r), analyseMs: t2 - t1, matchMs: t3 - t2, audioSec });
  }

  // Per condition.
  const conditions = [...new Set(outcomes.map((o) => o.condition))];
  const rows: string[][] = [['condition', 'n', 'top-1 / recall', 'precision', 'false alarms', 'loc. error (median)', 'span error (median)', 'ratio ≤ 1 %, shift ≤ ¼ st', 'share error']];
  const summary: Record<string, unknown>[] = [];
  for (const name of conditions) {
    const os = outcomes.filter((o) => o.condition === name);
    const singles = os.filter((o) => o.top1 !== null);
    const mixes = os.filter((o) => o.recall !== null);
    const locs = singles.map((o) => o.locErrorSec).filter((x): x is number => x !== null).sort((a, b) => a - b);
    const top1 = singles.length ? singles.filter((o) => o.top1).length / singles.length : null;
    const recall = mixes.length ? mean(mixes.map((o) => o.recall!)) : null;
    const precision = mixes.length ? mean(mixes.map((o) => o.precision!)) : null;
    const shareErr = mixes.length ? mean(mixes.flatMap((o) => o.shareErrors)) : null;
    const falseAlarms = os.filter((o) => o.falseAlarm).length;
    const medLoc = locs.length ? locs[Math.floor(locs.length / 2)] : null;
    const spans = singles.map((o) => o.spanErrorSec).filter((x): x is number => x !== null).sort((a, b) => a - b);
    const medSpan = spans.length ? spans[Math.floor(spans.length / 2)] : null;
    const found = singles.filter((o) => o.top1);
    const transformOk = found.length ? found.filter((o) => o.ratioErrorRel! <= 0.01 && o.shiftErrorSt! <= 0.25).length / found.length : null;
    rows.push([
      name,
      String(os.length),
      top1 !== null ? pct(top1) : recall !== null ? `${pct(recall)} (recall)` : '—',
      precision !== null ? pct(precision) : '—',
      `${falseAlarms}/${os.length}`,
      medLoc !== null ? `${(medLoc * 1000).toFixed(0)} ms` : '—',
      medSpan !== null ? `${medSpan.toFixed(2)} s` : '—',
      transformOk !== null ? pct(transformOk) : '—',
      shareErr !== null ? `${(shareErr * 100).toFixed(1)} pp` : '—',
    ]);
    summary.push({ condition: name, group: os[0].group, n: os.length, top1, recall, precision, falseAlarms, medianLocErrorSec: medLoc, medianSpanErrorSec: medSpan, transformWithinTolerance: transformOk, meanShareErrorPp: shareErr !== null ? shareErr * 100 : null });
  }

  // Speed.
  const queryAudioSec = outcomes.reduce((s, o) => s + o.audioSec, 0);
  const queryAnalyseMs = outcomes.reduce((s, o) => s + o.analyseMs, 0);
  const speed: Record<string, number> = {
    referenceAudioSec: refAudioSec,
    analysisTimesRealtime: refAudioSec / (refAnalyseMs / 1000),
    queryAnalysisTimesRealtime: queryAudioSec / (queryAnalyseMs / 1000),
    matchMsPerQueryMean: mean(outcomes.map((o) => o.matchMs)),
    featureBytesPerHour: featureBytes / (refAudioSec / 3600),
    featureArrayBytesPerHour: arrayBytes / (refAudioSec / 3600),
    noteBytesPerHour: noteBytes / (refAudioSec / 3600),
    memoryIndexBytes: core.indexBytes,
  };

  if (!values['no-scale']) {
    // Scale: a 3-minute query (references played back to back) against 1,000 works.
    const pieces: Float32Array[] = [];
    let sec = 0;
    for (const ref of truth.refs) {
      if (sec >= 180) break;
      const a = await decodeFile(join(dir, ref.file));
      pieces.push(a.channels[0]);
      sec += channelsSec(a);
    }
    const rate = (await decodeFile(join(dir, truth.refs[0].file))).sampleRateHz;
    const joined = joinReferences(pieces, rate);
    const scaleCore = await loadFreshCore();
    const { index: big, ms: buildMs } = syntheticCatalog(scaleCore, refPrints, 1000);
    // Best of three, as for the match below: this host's other load only ever adds time.
    let qfp = scaleCore.analyse({ sampleRateHz: rate, channels: [joined] }, { role: 'query' });
    const analyseRuns: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      qfp = scaleCore.analyse({ sampleRateHz: rate, channels: [joined] }, { role: 'query' });
      analyseRuns.push(performance.now() - t);
    }
    const analyseMs = Math.min(...analyseRuns);
    const runs: number[] = [];
    let found = 0;
    for (let i = 0; i < 3; i++) {
      const t4 = performance.now();
      found = big.match(qfp).matches.length;
      runs.push(performance.now() - t4);
    }
    speed.scale1000IndexBuildMs = buildMs;
    speed.scale1000QueryAnalyseMs = analyseMs;
    speed.scale1000MatchMs = Math.min(...runs);
    speed.scale1000Segments = found;
    speed.scale1000IndexBytes = scaleCore.indexBytes;
  }

  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const out: string[] = [];
  out.push(`Tunetrace benchmark — core format ${core.formatVersion}, ${new Date().toISOString().slice(0, 10)}, ${machine}`);
  out.push(`corpus: ${truth.refs.length} references (${(refAudioSec / 60).toFixed(1)} min), ${truth.queries.length} queries; single-threaded WASM`);
  out.push('');
  out.push(table(rows));
  out.push('');
  const negatives = outcomes.filter((o) => o.negative);
  const nonNegFalse = outcomes.filter((o) => !o.negative && o.falseAlarm).length;
  out.push(`false alarms: ${negatives.filter((o) => o.falseAlarm).length}/${negatives.length} negative queries; ${nonNegFalse}/${outcomes.length - negatives.length} positive queries also named a work that is not in them`);
  out.push(`analysis speed: ${speed.analysisTimesRealtime.toFixed(0)}× realtime (references), ${speed.queryAnalysisTimesRealtime.toFixed(0)}× (queries), per core`);
  out.push(`matching: ${speed.matchMsPerQueryMean.toFixed(2)} ms per query against ${truth.refs.length} works`);
  out.push(`index size: ${(speed.featureBytesPerHour / 2 ** 20).toFixed(2)} MB of stored features per hour of reference audio (packed; ${(speed.featureArrayBytesPerHour / 2 ** 20).toFixed(2)} MB/h as the core's arrays) (+ ${(speed.noteBytesPerHour / 2 ** 20).toFixed(2)} MB of melody notes kept to show the evidence, not indexed)`);
  if (speed.scale1000MatchMs !== undefined) {
    out.push(`scale: 3-min query vs 1,000 works (synthetic, hash-remapped copies): analysis ${speed.scale1000QueryAnalyseMs.toFixed(0)} ms + match ${speed.scale1000MatchMs.toFixed(0)} ms (best of 3 each) = ${(speed.scale1000QueryAnalyseMs + speed.scale1000MatchMs).toFixed(0)} ms after decoding; index built in ${speed.scale1000IndexBuildMs.toFixed(0)} ms, ${(speed.scale1000IndexBytes / 2 ** 20).toFixed(0)} MB in memory`);
  }
  // Every query that missed a work or named a wrong one, so a change can be read query by query.
  const misses = outcomes.filter((o) => o.top1 === false || (o.recall !== null && o.recall < 1) || o.falseAlarm);
  if (misses.length) {
    out.push('', `queries that missed a work or named a wrong one (${misses.length}):`);
    for (const o of misses) out.push(`  ${o.file}: expected ${o.expected.join(', ') || 'nothing'}; found ${o.found.join(', ') || 'nothing'}`);
  }
  process.stdout.write(out.join('\n') + '\n');

  if (only || values.core) return; // a partial or experimental run does not replace the recorded results
  await mkdir('bench/results', { recursive: true });
  const cases = outcomes.map(({ file, condition, expected, found, top1, recall, falseAlarm, spanErrorSec }) => ({ file, condition, expected, found, top1, recall, falseAlarm, spanErrorSec }));
  await writeFile('bench/results/latest.json', JSON.stringify({ date: new Date().toISOString(), machine, formatVersion: core.formatVersion, summary, speed, cases }, null, 2) + '\n');
}

/** A second core instance (its own memory), so the scale test does not disturb the corpus index. */
async function loadFreshCore(): Promise<Core> {
  const { readFile } = await import('node:fs/promises');
  const { Core } = await import('../src/core/wasm-core.ts');
  return Core.load(await readFile(values.core ?? new URL('../build/core.wasm', import.meta.url)));
}

main().catch((e: Error) => {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exitCode = 1;
});
