// The study's per-work null: a work's Qmax under the transposition OTI picks, against its Qmax under the other
// transpositions (same query, same work, wrong key) — a null that needs no other works in the catalog.
//   node bench/studies/chroma/shift-null.mjs CORPUS TAG   → bench/results/chroma-study/shift-null-TAG.json
import fs from 'node:fs';
import { cachedFrames, blocks } from './chroma.mjs';
import { globalProfile, otiRank, crp, qmax } from './match.mjs';
const [corpus, tag] = process.argv.slice(2);
const truth = JSON.parse(fs.readFileSync(corpus + '/truth.json', 'utf8'));
const cache = `bench/results/chroma-study/cache/${tag}`;
const refs = truth.refs.map((r) => { const b = blocks(cachedFrames(corpus, r.file, cache), 0.5); return { id: r.id, b, g: globalProfile(b) }; });
const out = [];
for (const q of truth.queries.filter((q) => /^(melody|negative)/.test(q.condition))) {
  const b = blocks(cachedFrames(corpus, q.file, cache), 0.5), g = globalProfile(b);
  const scores = refs.map((r) => {
    const perShift = Array.from({ length: 12 }, (_, s) => qmax(crp(b, r.b, s, 0.1), b.n, r.b.n));
    return { id: r.id, oti: otiRank(g, r.g).slice(0, 2), perShift };
  });
  out.push({ file: q.file, condition: q.condition, expected: q.expected, scores });
}
fs.writeFileSync(`bench/results/chroma-study/shift-null-${tag}.json`, JSON.stringify(out));
console.log('done', tag, out.length);
