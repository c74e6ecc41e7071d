// oracle diagnostic: quoted queries cropped to the quoted span, scored with the TRUE shift vs all works (all 12 shifts for others)
import fs from 'node:fs';
import { cachedFrames, blocks, SR, HOP } from './chroma.mjs';
import { globalProfile, crp, qmax, score } from './match.mjs';
const corpus = process.env.CORPUS ?? 'bench/.corpus', P = { blockSec: 0.5, kappa: 0.1, nShift: 2, go: 0.5, ge: 0.5 };
const truth = JSON.parse(fs.readFileSync(corpus + '/truth.json', 'utf8'));
const refs = truth.refs.map(r => { const b = blocks(cachedFrames(corpus, r.file, 'bench/results/chroma-study/cache/main'), 0.5); return { id: r.id, b, g: globalProfile(b) }; });
for (const q of truth.queries.filter(q => q.condition === 'melody-quoted')) {
  const e = q.expected[0]; const fr = cachedFrames(corpus, q.file, 'bench/results/chroma-study/cache/main');
  const f0 = Math.floor(e.queryStartSec * SR / HOP), f1 = Math.floor(e.queryEndSec * SR / HOP);
  const b = blocks(fr.subarray(f0 * 13, f1 * 13), 0.5), g = globalProfile(b), k = ((e.pitchShiftSemitones % 12) + 12) % 12;
  const sc = refs.map(r => r.id === e.workId ? qmax(crp(b, r.b, k, 0.1), b.n, r.b.n) : score(b, r.b, g, r.g, P).q);
  const ti = refs.findIndex(r => r.id === e.workId); const o = sc.filter((_, i) => i !== ti); const m = o.reduce((a, c) => a + c) / o.length; const sd = Math.sqrt(o.reduce((a, c) => a + (c - m) ** 2, 0) / o.length);
  console.log(q.file, 'cropped nq', b.n, 'true(oracle shift)', sc[ti], 'bestOther', Math.max(...o), 'z', ((sc[ti] - m) / sd).toFixed(2), 'OTI on crop', score(b, refs[ti].b, g, refs[ti].g, P).oti, 'k', k);
}
