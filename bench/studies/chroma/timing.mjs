// time: feature extraction for 180 s of audio, and scoring a 360-block (3 min) query vs the 40 main refs
import fs from 'node:fs';
import { decode, frameChroma, cachedFrames, blocks } from './chroma.mjs';
import { globalProfile, score } from './match.mjs';
const corpus = process.env.CORPUS ?? 'bench/.corpus', P = { blockSec: 0.5, kappa: 0.1, nShift: 2, go: 0.5, ge: 0.5 };
const truth = JSON.parse(fs.readFileSync(corpus + '/truth.json', 'utf8'));
const refs = truth.refs.map(r => { const b = blocks(cachedFrames(corpus, r.file, 'bench/results/chroma-study/cache/main'), 0.5); return { b, g: globalProfile(b) }; });
const x = decode(corpus + '/queries/melody-band/00.wav'); const long = new Float32Array(x.length * 9); for (let i = 0; i < 9; i++) long.set(x, i * x.length);
let t = performance.now(); const fr = frameChroma(long); const tf = performance.now() - t;
const b = blocks(fr, 0.5), g = globalProfile(b);
t = performance.now(); for (const r of refs) score(b, r.b, g, r.g, P); const ts = performance.now() - t;
const avgNr = refs.reduce((a, r) => a + r.b.n, 0) / refs.length;
console.log(`query ${long.length / 11025}s, ${b.n} blocks; chroma extraction ${tf.toFixed(0)} ms; scoring 40 refs (avg ${avgNr.toFixed(0)} blocks) ${ts.toFixed(0)} ms => 1000 refs ~ ${(ts * 25 / 1000).toFixed(1)} s`);
