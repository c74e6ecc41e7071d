// node bench/studies/chroma/shift-null-analyze.mjs bench/results/chroma-study/shift-null-TAG.json [--T=x]
import fs from 'node:fs';
const rows = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const fixed = process.argv.find((a) => a.startsWith('--T='));
const variants = {
  // z of the OTI-chosen shift's Qmax against the other ten shifts' (mean, sd)
  meanSd: (best, others) => { const m = others.reduce((a, b) => a + b, 0) / others.length; const sd = Math.sqrt(others.reduce((a, b) => a + (b - m) ** 2, 0) / others.length) || 1; return (best - m) / sd; },
  // the ratio of the chosen shift's Qmax to the largest of the others'
  overMax: (best, others) => best / Math.max(1, Math.max(...others)),
};
for (const [name, f] of Object.entries(variants)) {
  const scored = rows.map((q) => ({ q, v: q.scores.map((s) => { const best = Math.max(...s.oti.map((k) => s.perShift[k])); const others = s.perShift.filter((_, k) => !s.oti.includes(k)); return f(best, others); }) }));
  let T = -Infinity, why = '';
  for (const { q, v } of scored) { const ti = q.scores.findIndex((s) => s.id === q.expected[0]?.workId); v.forEach((x, i) => { if (i !== ti && x > T) { T = x; why = q.file; } }); }
  if (fixed) T = Number(fixed.slice(4));
  console.log(`== ${name}: threshold ${T.toFixed(3)} (${fixed ? 'given' : 'set by ' + why})`);
  const fa = scored.filter(({ q, v }) => { const ti = q.scores.findIndex((s) => s.id === q.expected[0]?.workId); return v.some((x, i) => i !== ti && x > T); });
  console.log(`   queries naming a wrong work above it: ${fa.length} ${fa.map((x) => x.q.file).join(' ')}`);
  for (const c of ['melody-solo', 'melody-arranged', 'melody-band', 'melody-noisy', 'melody-quoted']) {
    const rs = scored.filter(({ q }) => q.condition === c);
    const found = rs.filter(({ q, v }) => { const ti = q.scores.findIndex((s) => s.id === q.expected[0].workId); return v[ti] > T; });
    console.log(`   ${c.padEnd(16)} ${found.length}/${rs.length}`);
  }
}
