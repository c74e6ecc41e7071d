// Diagnostic, not part of the bench: for each melody query, the truth and every segment the core
// reports (build a permissive core to see near misses), so a miss can be told apart: no hits on the
// right work, hits on the wrong transform, or evidence below the threshold.
//   npx tsx bench/melody-why.mts [CONDITION_REGEX]   (CORE_WASM=… for another build, CORPUS=DIR for another corpus)
import { readFileSync } from 'node:fs';
import { parseWav } from '../src/cli/wav.ts';
import { Core } from '../src/core/wasm-core.ts';
import { CatalogIndex } from '../src/core/catalog-index.ts';

const core = await Core.load(readFileSync(process.env.CORE_WASM ?? 'build/core.wasm'));
const corpus = process.env.CORPUS ?? 'bench/.corpus';
const truth = JSON.parse(readFileSync(`${corpus}/truth.json`, 'utf8'));
const index = new CatalogIndex(core);
for (const ref of truth.refs) index.add({ id: ref.id, title: ref.id }, core.analyse(parseWav(readFileSync(`${corpus}/${ref.file}`))));
core.indexBuild();
const only = new RegExp(process.argv[2] ?? '^melody');
for (const q of truth.queries.filter((c: any) => only.test(c.condition))) {
  const fp = core.analyse(parseWav(readFileSync(`${corpus}/${q.file}`)), { role: 'query' });
  const e = q.expected[0];
  const r = index.match(fp);
  const ok = e && r.matches.some((m) => m.workId === e.workId);
  console.log(`${ok ? '✓' : '✗'} ${q.file}  ${e ? `${e.workId} ${e.pitchShiftSemitones >= 0 ? '+' : ''}${e.pitchShiftSemitones} st ×${e.timeRatio.toFixed(2)} q ${e.queryStartSec.toFixed(1)}–${e.queryEndSec.toFixed(1)} s` : 'negative'}  (${fp.melody.length} note triplets)`);
  for (const m of r.matches) {
    console.log(`    ${m.workId === e?.workId ? '=' : '!'} ${m.evidence.padEnd(9)} ${m.workId.padEnd(34)} hits ${m.hits} vs ${m.expectedHits.toFixed(1)}  sig ${(-Math.log10(Math.max(1e-300, 1 - m.confidence))).toFixed(2)}  ${m.pitchShiftSemitones.toFixed(1)} st ×${m.timeRatio.toFixed(2)}  q ${m.queryStartSec.toFixed(1)}–${m.queryEndSec.toFixed(1)} s`);
  }
}
