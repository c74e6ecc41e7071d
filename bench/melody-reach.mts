// Diagnostic, not part of the bench: where a melody query's evidence is lost before the transform vote.
// For each query, the query's pooled notes that line up with the work's pooled notes under the true
// transform (±64 ms, ±0.6 semitone, as the note check); the query note triplets made only of such notes;
// how many of those the work's notes also make a triplet of (its reach: MELODY_FAN_OUT, MELODY_SECOND_REACH);
// and how many of those have the same hash (pitch differences, ratio bin with the query's ±1-unit probes).
// The reaches are read from the environment (defaults: the core's), so other settings can be tried
// without a build; the notes come from the core in use.
//   npx tsx bench/melody-reach.mts [QUERY_FILE_REGEX]   (QF=5 RF=6 RR=3; CORE_WASM=…; CORPUS=DIR)
import { readFileSync } from 'node:fs';
import { parseWav } from '../src/cli/wav.ts';
import { Core } from '../src/core/wasm-core.ts';

const core = await Core.load(readFileSync(process.env.CORE_WASM ?? 'build/core.wasm'));
const corpus = process.env.CORPUS ?? 'bench/.corpus';
const truth = JSON.parse(readFileSync(`${corpus}/truth.json`, 'utf8'));
/** Query fan-out, reference fan-out, reference second-note reach (wasm/assembly/config.ts). */
const QF = Number(process.env.QF ?? 5), RF = Number(process.env.RF ?? 6), RR = Number(process.env.RR ?? 3);
/** Time unit of note triplets in frames, and their span bounds in units (config.ts). */
const UNIT = 4, MIN_DT13 = 4, MAX_DT13 = 127;
type Note = { f: number; p: number };

function notesOf(file: string, role: 'reference' | 'query'): Note[] {
  core.analyse(parseWav(readFileSync(`${corpus}/${file}`)), { role });
  const n = core.lastNotes('pooled');
  return Array.from(n.onsets, (f, i) => ({ f, p: n.pitches[i] }));
}
const units = (a: number, b: number) => Math.floor((b - a + UNIT / 2) / UNIT);
const ratioBin = (d12: number, d13: number) => Math.max(0, Math.min(7, Math.floor((d12 * 8) / d13)));
const spanOk = (d12: number, d13: number) => d13 >= MIN_DT13 && d13 <= MAX_DT13 && d12 >= 1 && d12 < d13;

const refNotes = new Map<string, Note[]>();
const total = { lined: 0, queryTriplets: 0, inReferenceReach: 0, sameHash: 0 };
for (const q of truth.queries.filter((c: { file: string }) => new RegExp(process.argv[2] ?? '^queries/melody').test(c.file))) {
  const e = q.expected[0];
  if (!e) continue;
  const ref = truth.refs.find((r: { id: string }) => r.id === e.workId);
  if (!refNotes.has(e.workId)) refNotes.set(e.workId, notesOf(ref.file, 'reference'));
  const rn = refNotes.get(e.workId)!;
  const qn = notesOf(q.file, 'query');
  const fs = core.frameSec;
  // The work's note each query note lines up with (the nearest in time), or −1.
  const match = qn.map((n) => {
    const t = n.f * fs;
    if (t < e.queryStartSec - 0.1 || t > e.queryEndSec + 0.1) return -1;
    const tr = e.refStartSec + (t - e.queryStartSec) / e.timeRatio;
    let best = -1;
    let bestDt = 0.064;
    rn.forEach((r, j) => {
      const d = Math.abs(r.f * fs - tr);
      if (d < bestDt && Math.abs(r.p - (n.p - e.pitchShiftSemitones)) < 0.6) { bestDt = d; best = j; }
    });
    return best;
  });
  const c = { lined: match.filter((m) => m >= 0).length, queryTriplets: 0, inReferenceReach: 0, sameHash: 0 };
  for (let i = 0; i < qn.length; i++) {
    for (let j = i + 1; j < qn.length && j <= i + Math.min(QF - 1, 3); j++) {
      for (let k = j + 1; k < qn.length && k <= i + QF; k++) {
        const [a, b, d] = [match[i], match[j], match[k]];
        if (a < 0 || b < 0 || d < 0) continue;
        const q12 = units(qn[i].f, qn[j].f), q13 = units(qn[i].f, qn[k].f);
        if (!spanOk(q12, q13)) continue;
        c.queryTriplets++;
        if (!(a < b && b < d && b - a <= Math.min(RF - 1, RR) && d - a <= RF)) continue;
        const r12 = units(rn[a].f, rn[b].f), r13 = units(rn[a].f, rn[d].f);
        if (!spanOk(r12, r13)) continue;
        c.inReferenceReach++;
        const samePitches = Math.round(qn[j].p - qn[i].p) === Math.round(rn[b].p - rn[a].p) && Math.round(qn[k].p - qn[j].p) === Math.round(rn[d].p - rn[b].p);
        const probes = [ratioBin(q12, q13), ratioBin(q12 + 1, q13), ratioBin(q12 - 1, q13), ratioBin(q12, q13 + 1), ratioBin(q12, q13 - 1)];
        if (samePitches && probes.includes(ratioBin(r12, r13))) c.sameHash++;
      }
    }
  }
  console.log(`${q.file.padEnd(34)} ${e.workId.padEnd(22)} notes lined up ${String(c.lined).padStart(3)} of ${String(qn.length).padStart(3)}; ` +
    `their query triplets ${String(c.queryTriplets).padStart(3)}, in the work's reach ${String(c.inReferenceReach).padStart(3)}, same hash ${String(c.sameHash).padStart(3)}`);
  for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += c[k];
}
console.log(`total (QF ${QF}, RF ${RF}, RR ${RR}): ${JSON.stringify(total)}`);
