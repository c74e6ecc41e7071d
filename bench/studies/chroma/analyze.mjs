// usage (from the repo root): node bench/studies/chroma/analyze.mjs bench/results/chroma-study/results-*.json [--detail] [--T=z]
import fs from 'node:fs';
const R = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')); const detail = process.argv.includes('--detail');
const norms = {
  raw: (s, q) => s.q,
  perQ: (s, q) => s.q / Math.max(1, q.nqAct),
  perMin: (s, q) => s.q / Math.max(1, Math.min(q.nqAct, s.nr)),
};
function normScores(q, name) {
  if (name === 'z') {
    return q.scores.map((s, i) => { const o = q.scores.filter((_, k) => k !== i).map(x => x.q); const m = o.reduce((a, b) => a + b, 0) / o.length; const sd = Math.sqrt(o.reduce((a, b) => a + (b - m) ** 2, 0) / o.length) || 1; return (s.q - m) / sd; });
  }
  return q.scores.map(s => norms[name](s, q));
}
const condOrder = ['melody-solo', 'melody-arranged', 'melody-band', 'melody-noisy', 'melody-quoted'];
console.log('params', JSON.stringify(R.P), 'timing', JSON.stringify(R.timing));
for (const name of ['raw', 'perQ', 'perMin', 'z']) {
  let T = -Infinity, why = '';
  const rows = R.out.map(q => { const v = normScores(q, name); const truthId = q.expected[0]?.workId; const ti = q.scores.findIndex(s => s.id === truthId);
    const order = v.map((x, i) => i).sort((a, b) => v[b] - v[a]);
    const wrongBest = Math.max(...v.filter((_, i) => i !== ti));
    if (wrongBest > T) { T = wrongBest; why = q.file; }
    return { q, v, ti, rank: ti >= 0 ? order.indexOf(ti) + 1 : null, trueS: ti >= 0 ? v[ti] : null, wrongBest, top: q.scores[order[0]].id }; });
  const fixedT = process.argv.find(a => a.startsWith('--T='));
  if (fixedT && name === 'z') { const F = +fixedT.slice(4); const fa = rows.filter(r => r.wrongBest > F).map(r => r.q.file); console.log(`FIXED z threshold ${F}: queries with a wrong work above it: ${fa.length} ${fa.join(' ')}`); T = F; }
  console.log(`\n== norm ${name}: zero-FA threshold T=${T.toFixed(3)} (set by ${why})`);
  const negs = rows.filter(r => r.ti < 0);
  const negTune = negs.filter(r => r.q.condition === 'negative-tune');
  console.log(`  negatives: max ${Math.max(...negs.map(r => r.wrongBest)).toFixed(3)}  negative-tune max ${Math.max(...negTune.map(r => r.wrongBest)).toFixed(3)}; max wrong-work over positives ${Math.max(...rows.filter(r => r.ti >= 0).map(r => r.wrongBest)).toFixed(3)}`);
  for (const c of condOrder) {
    const rs = rows.filter(r => r.q.condition === c); if (!rs.length) continue;
    const top1 = rs.filter(r => r.rank === 1).length, rec = rs.filter(r => r.trueS > T).length;
    console.log(`  ${c.padEnd(16)} n=${rs.length} top1=${top1}/${rs.length} recall@0FA=${rec}/${rs.length}  trueMed=${median(rs.map(r => r.trueS)).toFixed(3)}`);
  }
  if (detail && name === (process.env.DNORM || 'z')) {
    for (const r of rows) console.log(`   ${r.q.file.padEnd(40)} rank=${r.rank ?? '-'} true=${r.trueS?.toFixed(2) ?? '-'} bestOther=${r.wrongBest.toFixed(2)} ${r.trueS > T ? 'FOUND' : ''}`);
  }
  R.rowsCache = rows;
}
// OTI accuracy on positives (true work)
let a1 = 0, a2 = 0, neg = 0, n = 0; const perC = {};
for (const q of R.out) { const e = q.expected[0]; if (!e) continue; const s = q.scores.find(x => x.id === e.workId); const k = ((e.pitchShiftSemitones % 12) + 12) % 12; n++;
  const ok1 = s.oti === k, ok2 = s.s === k; a1 += ok1; a2 += ok2; neg += s.oti === (12 - k) % 12;
  perC[q.condition] ??= [0, 0, 0]; perC[q.condition][0]++; perC[q.condition][1] += ok1; perC[q.condition][2] += ok2; }
console.log(`\nOTI top-1 == true shift: ${a1}/${n}; shift used by best-of-2 == true: ${a2}/${n}; (sign-flipped matches ${neg})`, JSON.stringify(perC));
function median(a) { const b = [...a].sort((x, y) => x - y); return b[b.length >> 1]; }
