import { describe, expect, it } from 'vitest';
import { decodeCatalogFile, encodeCatalogFile, CatalogFileError, type CatalogContents } from '../../src/core/catalog-file';
import type { WorkRecord } from '../../src/core/types';

function work(id: string, n: number): WorkRecord {
  return {
    meta: { id, title: `Title ${id} — “quoted”`, durationSec: n / 10, addedAt: 1_700_000_000_000 + n, sourceName: `${id}.wav` },
    fingerprint: {
      formatVersion: 1,
      durationSec: n / 10,
      frameCount: n * 3,
      peakCount: n,
      rms: 0.1,
      hashes: Uint32Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 11),
      hashFrames: Uint32Array.from({ length: n }, (_, i) => i * 3),
      triplets: Uint32Array.from({ length: 2 * n }, (_, i) => (i * 40503) & 0x7ffff),
      tripletFrames: Uint32Array.from({ length: 2 * n }, (_, i) => i),
      tripletExtras: Uint32Array.from({ length: 2 * n }, (_, i) => i * 1000003),
      melody: Uint32Array.from({ length: n >> 1 }, (_, i) => i * 77),
      melodyFrames: Uint32Array.from({ length: n >> 1 }, (_, i) => i * 30),
      melodyExtras: Uint32Array.from({ length: n >> 1 }, (_, i) => i * 999),
    },
  };
}

const contents: CatalogContents = { catalogId: 'cat-1', name: 'Demo', createdAt: 123, works: [work('a', 50), work('b', 0), work('c', 7)] };

describe('catalog file (.ttcat)', () => {
  it('round-trips metadata and features exactly', async () => {
    const bytes = await encodeCatalogFile(contents, 1);
    const back = await decodeCatalogFile(bytes, 1);
    expect(back.catalogId).toBe('cat-1');
    expect(back.name).toBe('Demo');
    expect(back.works.map((w) => w.meta)).toEqual(contents.works.map((w) => w.meta));
    back.works.forEach((w, i) => {
      expect(Array.from(w.fingerprint.hashes)).toEqual(Array.from(contents.works[i].fingerprint.hashes));
      expect(Array.from(w.fingerprint.hashFrames)).toEqual(Array.from(contents.works[i].fingerprint.hashFrames));
      expect(Array.from(w.fingerprint.tripletExtras)).toEqual(Array.from(contents.works[i].fingerprint.tripletExtras));
      expect(Array.from(w.fingerprint.triplets)).toEqual(Array.from(contents.works[i].fingerprint.triplets));
      expect(Array.from(w.fingerprint.melodyExtras)).toEqual(Array.from(contents.works[i].fingerprint.melodyExtras));
      expect(w.fingerprint.frameCount).toBe(contents.works[i].fingerprint.frameCount);
    });
  });

  it('detects a single changed byte anywhere', async () => {
    const bytes = await encodeCatalogFile(contents, 1);
    for (const at of [20, Math.floor(bytes.length / 2), bytes.length - 40]) {
      const bad = bytes.slice();
      bad[at] ^= 0x01;
      await expect(decodeCatalogFile(bad, 1)).rejects.toThrow(/damaged/);
    }
  });

  it('refuses a truncated file, a non-catalog file and an empty file', async () => {
    const bytes = await encodeCatalogFile(contents, 1);
    await expect(decodeCatalogFile(bytes.slice(0, bytes.length - 100), 1)).rejects.toThrow(CatalogFileError);
    await expect(decodeCatalogFile(new TextEncoder().encode('id,title\n1,hello\n'.repeat(10)), 1)).rejects.toThrow(/not a Tunetrace catalog/);
    await expect(decodeCatalogFile(new Uint8Array(0), 1)).rejects.toThrow(/not a Tunetrace catalog/);
  });

  it('refuses features of another core format with what to do', async () => {
    const bytes = await encodeCatalogFile(contents, 1);
    await expect(decodeCatalogFile(bytes, 2)).rejects.toThrow(/Index the original audio again/);
  });
});
