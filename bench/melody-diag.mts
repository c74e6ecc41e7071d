// Diagnostic, not part of the bench: how well the core's pitch line follows the true melody of
// the corpus's generated tunes, per note onset and per frame.
//   npx tsx bench/melody-diag.mts refs|melody-solo|melody-arranged|melody-quoted   (CORE_WASM=… for another build)
import { readFileSync } from 'node:fs';
import { referenceTunes } from './corpus/build.ts';
import { parseWav } from '../src/cli/wav.ts';
import { Core } from '../src/core/wasm-core.ts';

const core = await Core.load(readFileSync(process.env.CORE_WASM ?? 'build/core.wasm'));
const songs = new Map(referenceTunes().map((j) => [j.id, j.song]));
const fs = core.frameSec;
type N = { t: number; p: number; d: number };
function recall(truth: N[], got: N[]): number {
  let hit = 0;
  for (const a of truth) if (got.some((b) => Math.abs(b.t - a.t) < 0.07 && Math.abs(b.p - a.p) < 0.6)) hit++;
  return truth.length ? hit / truth.length : NaN;
}
/** Share of frames inside a true melody note whose note-level pitch matches. */
function frameAcc(truth: N[], got: N[]): number {
  let n = 0, ok = 0;
  for (const a of truth) for (let t = a.t + 0.03; t < a.t + a.d - 0.03; t += 0.02) {
    n++;
    if (got.some((b) => t >= b.t && t < b.t + b.d && Math.abs(b.p - a.p) < 0.6)) ok++;
  }
  return n ? ok / n : NaN;
}
const truth = JSON.parse(readFileSync('bench/.corpus/truth.json', 'utf8'));
const mode = process.argv[2] ?? 'refs';
let sr = 0, sf = 0, cnt = 0;
const cases = mode === 'refs'
  ? [...songs.keys()].map((id) => ({ file: `refs/${id}.wav`, e: { workId: id, refStartSec: 0, refEndSec: 1e9, timeRatio: 1, pitchShiftSemitones: 0, queryStartSec: 0 } }))
  : truth.queries.filter((q: any) => q.condition === mode).map((q: any) => ({ file: q.file, e: q.expected[0] }));
for (const { file, e } of cases) {
  const song = songs.get(e.workId);
  if (!song) continue;
  core.analyse(parseWav(readFileSync(`bench/.corpus/${file}`)), { role: mode === 'refs' ? 'reference' : 'query' });
  const n = core.lastNotes(process.env.LINES === 'pooled' ? 'pooled' : 'main');
  const got = Array.from(n.onsets, (f, i) => ({ t: f * fs, p: n.pitches[i] + 33, d: (n.ends[i] - f) * fs }));
  const mel = song.notes.filter((x) => x.part === 'melody' && x.start >= e.refStartSec && x.start < e.refEndSec)
    .map((x) => ({ t: e.queryStartSec + (x.start - e.refStartSec) * e.timeRatio, p: x.pitch + e.pitchShiftSemitones, d: x.dur * e.timeRatio }));
  const r = recall(mel, got), f = frameAcc(mel, got);
  sr += r; sf += f; cnt++;
  if (!process.env.QUIET) console.log(file.padEnd(36), `notes ${mel.length}/${got.length} onsetRecall ${r.toFixed(2)} frameAcc ${f.toFixed(2)}`);
}
console.log(`${mode}: mean onset recall ${(sr / cnt).toFixed(3)}, frame accuracy ${(sf / cnt).toFixed(3)}`);
