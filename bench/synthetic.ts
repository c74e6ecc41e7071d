import { CatalogIndex } from '../src/core/catalog-index.ts';
import type { Core } from '../src/core/wasm-core.ts';
import type { Fingerprint } from '../src/core/types.ts';

/** A catalog of `n` works made from the real ones by remapping hashes with a per-copy bijection (xor), for speed at scale. */
export function syntheticCatalog(core: Core, base: Fingerprint[], n: number): { index: CatalogIndex; ms: number } {
  const index = new CatalogIndex(core);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const src = base[i % base.length];
    const mask = i < base.length ? 0 : ((i * 2654435761) >>> 0) & 0x1fffff;
    // Triplet masks leave the probed bits (octave band, t13 band, ratio) alone, so probes still find them;
    // note triplets share that layout (their remapped pitch steps make each copy a different melody).
    const tripletMask = mask & 0x3ff;
    index.add({ id: `w${i}`, title: `w${i}` }, {
      ...src, hashes: src.hashes.map((h) => h ^ mask), triplets: src.triplets.map((h) => h ^ tripletMask), melody: src.melody.map((h) => h ^ tripletMask),
    });
  }
  core.indexBuild();
  return { index, ms: performance.now() - t0 };
}

/** The scale test's query: the references played back to back, cut at 3 minutes (mono, one sample rate). */
export function joinReferences(pieces: Float32Array[], sampleRateHz: number, maxSec = 180): Float32Array {
  const joined = new Float32Array(Math.min(maxSec * sampleRateHz, pieces.reduce((s, p) => s + p.length, 0)));
  let at = 0;
  for (const p of pieces) {
    const n = Math.min(p.length, joined.length - at);
    joined.set(p.subarray(0, n), at);
    at += n;
  }
  return joined;
}
