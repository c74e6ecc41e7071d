// usage (from the repo root): node bench/studies/chroma/study.mjs <corpusDir> <tag> [blockSec kappa nShift go ge compress]
import fs from 'node:fs';
import { cachedFrames, blocks } from './chroma.mjs';
import { globalProfile, score } from './match.mjs';
const [corpus, tag, bs = '0.5', kap = '0.1', ns = '2', go = '0.5', ge = '0.5', comp = 'sqrt'] = process.argv.slice(2);
const P = { blockSec: +bs, kappa: +kap, nShift: +ns, go: +go, ge: +ge, compress: comp };
const truth = JSON.parse(fs.readFileSync(corpus + '/truth.json', 'utf8'));
const cache = `bench/results/chroma-study/cache/${tag}`;
const conds = c => c.startsWith('melody-') || c.startsWith('negative-');
const queries = truth.queries.filter(q => conds(q.condition));
const t0 = performance.now();
const refs = truth.refs.map(r => { const b = blocks(cachedFrames(corpus, r.file, cache), P.blockSec, P.compress); return { id: r.id, b, g: globalProfile(b) }; });
const tRef = performance.now() - t0;
const out = []; let tScore = 0, tFeat = 0;
for (const q of queries) {
  let t1 = performance.now();
  const fr = cachedFrames(corpus, q.file, cache); const b = blocks(fr, P.blockSec, P.compress); const g = globalProfile(b);
  let t2 = performance.now(); tFeat += t2 - t1;
  const sc = refs.map(r => { const s = score(b, r.b, g, r.g, P); return { id: r.id, ...s, nr: r.b.n }; });
  tScore += performance.now() - t2;
  let nqAct = 0; for (let i = 0; i < b.n; i++) if (b.B[i * 12] || b.B[i * 12 + 1] || b.B[i * 12 + 2] || b.B.subarray(i * 12, i * 12 + 12).some(v => v)) nqAct++;
  out.push({ file: q.file, condition: q.condition, expected: q.expected, nq: b.n, nqAct, scores: sc });
}
fs.mkdirSync('bench/results/chroma-study', { recursive: true });
fs.writeFileSync(`bench/results/chroma-study/results-${tag}-${Object.values(P).join('_')}.json`, JSON.stringify({ P, out, timing: { refFeatMs: tRef, msPerQueryScore: tScore / queries.length, msPerQueryFeat: tFeat / queries.length, nq: queries.length } }));
console.log('done', tag, P, 'ms/query scoring 40 works', (tScore / queries.length).toFixed(1));
