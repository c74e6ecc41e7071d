// The study's comparison with chroma built from the core's pooled notes instead of audio (no new stored feature needed).
//   npx tsx bench/studies/chroma/note-chroma.mts CORPUS TAG   (then analyze.mjs bench/results/chroma-study/results-notes-TAG.json)
import { readFileSync, writeFileSync } from 'node:fs';
import { parseWav } from '../../../src/cli/wav.ts';
import { Core } from '../../../src/core/wasm-core.ts';
// @ts-ignore
import { globalProfile, score } from './match.mjs';
const core = await Core.load(readFileSync(process.env.CORE_WASM ?? 'build/core.wasm'));
const corpus = process.argv[2] ?? 'bench/.corpus';
const tag = process.argv[3] ?? 'main';
const BLOCK = Number(process.env.BLOCK ?? 0.5), WHICH = (process.env.WHICH ?? 'pooled') as 'pooled' | 'main';
const DUR = process.env.DUR !== '0';
const truth = JSON.parse(readFileSync(`${corpus}/truth.json`, 'utf8'));
const fs = 64 / 8000;
function blocksOf(file: string, role: 'reference' | 'query') {
  const fp = core.analyse(parseWav(readFileSync(`${corpus}/${file}`)), { role });
  const n = core.lastNotes(WHICH);
  const nB = Math.max(1, Math.ceil(fp.durationSec / BLOCK));
  const B = new Float32Array(nB * 12);
  for (let i = 0; i < n.onsets.length; i++) {
    const t0 = n.onsets[i] * fs, t1 = DUR ? n.ends[i] * fs : t0 + 0.1;
    const pc = ((Math.round(n.pitches[i]) + 33) % 12 + 12) % 12;
    for (let b = Math.floor(t0 / BLOCK); b <= Math.min(nB - 1, Math.floor(t1 / BLOCK)); b++) {
      const ov = Math.min(t1, (b + 1) * BLOCK) - Math.max(t0, b * BLOCK);
      if (ov > 0) B[b * 12 + pc] += ov;
    }
  }
  for (let b = 0; b < nB; b++) { let s = 0; for (let p = 0; p < 12; p++) { B[b * 12 + p] = Math.sqrt(B[b * 12 + p]); s += B[b * 12 + p] ** 2; } s = Math.sqrt(s); if (s > 0) for (let p = 0; p < 12; p++) B[b * 12 + p] /= s; }
  return { B, n: nB };
}
const P = { blockSec: BLOCK, kappa: 0.1, nShift: 2, go: 0.5, ge: 0.5 };
const refs = truth.refs.map((r: any) => { const b = blocksOf(r.file, 'reference'); return { id: r.id, b, g: globalProfile(b) }; });
const out: any[] = [];
for (const q of truth.queries.filter((q: any) => /^(melody|negative)/.test(q.condition))) {
  const b = blocksOf(q.file, 'query'); const g = globalProfile(b);
  const sc = refs.map((r: any) => ({ id: r.id, ...score(b, r.b, g, r.g, P), nr: r.b.n }));
  out.push({ file: q.file, condition: q.condition, expected: q.expected, nq: b.n, nqAct: b.n, scores: sc });
}
writeFileSync(`bench/results/chroma-study/results-notes-${tag}.json`, JSON.stringify({ P, out, timing: {} }));
