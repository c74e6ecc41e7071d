/**
 * Compares two builds of the core's matcher: the same answers, and how fast.
 *
 *   npx tsx bench/compare-cores.ts OLD.wasm NEW.wasm [--runs N] [--corpus DIR]
 *
 * Every corpus query (and the scale test's 3-minute query) is matched by both builds against the
 * corpus references and against the scale test's 1,000-work synthetic catalog; their segments must
 * be equal field for field. Then the 3-minute query against 1,000 works is timed, the two builds
 * taking turns (A B, B A, …) so that the load of a shared machine falls on both alike. Features are
 * analysed once, by the first build: this compares matching only. Exits with 1 on any difference.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCorpus } from './corpus/build.ts';
import { syntheticCatalog, joinReferences } from './synthetic.ts';
import { decodeFile } from '../src/cli/decode-node.ts';
import { CatalogIndex } from '../src/core/catalog-index.ts';
import { Core } from '../src/core/wasm-core.ts';
import type { Fingerprint } from '../src/core/types.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    corpus: { type: 'string', default: 'bench/.corpus' },
    runs: { type: 'string', default: '10' },
  },
});
const log = (m: string) => process.stderr.write(m + '\n');

interface Features {
  refs: { id: string; fp: Fingerprint }[];
  queries: { file: string; fp: Fingerprint }[];
  scale: Fingerprint;
}

async function analyseCorpus(core: Core, dir: string): Promise<Features> {
  const truth = await ensureCorpus(dir, { onProgress: log });
  const refs: Features['refs'] = [];
  const pieces: Float32Array[] = [];
  let sec = 0;
  let rate = 0;
  for (const ref of truth.refs) {
    const audio = await decodeFile(join(dir, ref.file));
    refs.push({ id: ref.id, fp: core.analyse(audio) });
    if (sec < 180) {
      pieces.push(audio.channels[0]);
      sec += audio.channels[0].length / audio.sampleRateHz;
    }
    rate = audio.sampleRateHz;
  }
  const queries: Features['queries'] = [];
  for (const q of truth.queries) queries.push({ file: q.file, fp: core.analyse(await decodeFile(join(dir, q.file)), { role: 'query' }) });
  const scale = core.analyse({ sampleRateHz: rate, channels: [joinReferences(pieces, rate)] }, { role: 'query' });
  return { refs, queries, scale };
}

/** Each query's segments as the core reports them (every field), serialised for exact comparison. */
function answers(core: Core, features: Features): string[] {
  return [...features.queries.map((q) => q.fp), features.scale].map((fp) => JSON.stringify(core.match(fp)));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  if (positionals.length !== 2) throw new Error('usage: compare-cores.ts OLD.wasm NEW.wasm [--runs N] [--corpus DIR]');
  const builds = await Promise.all(positionals.map((p) => readFile(p)));
  const load = (b: number) => Core.load(builds[b]);
  const features = await analyseCorpus(await load(0), resolve(values.corpus!));
  const names = [...features.queries.map((q) => q.file), 'scale query (3 min)'];

  let differences = 0;
  const big: Core[] = [];
  for (const catalog of ['corpus references', '1,000 synthetic works']) {
    const got: string[][] = [];
    for (let b = 0; b < 2; b++) {
      const core = await load(b);
      if (catalog === 'corpus references') {
        const index = new CatalogIndex(core);
        for (const r of features.refs) index.add({ id: r.id, title: r.id }, r.fp);
        core.indexBuild();
      } else {
        syntheticCatalog(core, features.refs.map((r) => r.fp), 1000);
        big.push(core);
      }
      got.push(answers(core, features));
    }
    const differ = names.filter((_, q) => got[0][q] !== got[1][q]);
    differences += differ.length;
    const segments = got[0].reduce((s, a) => s + (JSON.parse(a) as unknown[]).length, 0);
    log(`${catalog}: ${names.length} queries, ${segments} segments; ${differ.length ? `DIFFERENT for ${differ.slice(0, 5).join(', ')}${differ.length > 5 ? ' …' : ''}` : 'identical'}`);
  }

  const runs = Number(values.runs);
  const times: number[][] = [[], []];
  for (const core of big) core.match(features.scale); // warm-up
  for (let r = 0; r < runs; r++) {
    for (const b of r % 2 ? [1, 0] : [0, 1]) {
      const t = performance.now();
      big[b].match(features.scale);
      times[b].push(performance.now() - t);
    }
  }
  for (let b = 0; b < 2; b++) {
    log(`${positionals[b]}: match ${median(times[b]).toFixed(0)} ms median of ${runs} (${times[b].map((t) => t.toFixed(0)).join(' ')})`);
  }
  log(`new / old: ${(median(times[1]) / median(times[0])).toFixed(2)} (medians), ${median(times[1].map((t, i) => t / times[0][i])).toFixed(2)} (median of paired runs)`);
  if (differences) process.exitCode = 1;
}

main().catch((e: Error) => {
  process.stderr.write(`compare-cores: ${e.message}\n`);
  process.exitCode = 1;
});
