import { describe, expect, it } from 'vitest';
import { decodeCatalogFile, encodeCatalogFile, CatalogFileError, type CatalogContents } from '../../src/core/catalog-file';
import { readFileSync } from 'node:fs';
import { FEATURE_ARRAYS, type WorkRecord } from '../../src/core/types';

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

  it('packs the features (file version 3), and still reads a version-2 file of plain arrays', async () => {
    const bytes = await encodeCatalogFile(contents, 1);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + new DataView(bytes.buffer).getUint32(8, true))));
    expect(header.fileVersion).toBe(3);
    // Work a: 50 pairs (3-byte hash, 1-byte step of frame), 100 peak and 25 note triplets (and a 4-byte extra each).
    expect(header.works[0]).toMatchObject({ counts: { hashes: 50, triplets: 100, melody: 25 }, packedBytes: 50 * 4 + 125 * 8 });
    // Written by Tunetrace before packing: works a, m (with notes) and c of work() in this file.
    const v2 = new Uint8Array(readFileSync(new URL('../fixtures/catalog-v2.ttcat', import.meta.url)));
    const old = await decodeCatalogFile(v2, 1);
    expect(old.works.map((w) => w.meta.id)).toEqual(['a', 'm', 'c']);
    for (const [i, id, n] of [[0, 'a', 50], [2, 'c', 7]] as const) {
      const expected = work(id, n).fingerprint;
      for (const name of FEATURE_ARRAYS) expect(old.works[i].fingerprint[name], `${id} ${name}`).toEqual(expected[name]);
    }
    expect(Array.from(old.works[1].fingerprint.notes!.midi)).toEqual([64.25, 67, 71.5]);
    expect(old.works[1].fingerprint.melodyExtras).toEqual(work('m', 20).fingerprint.melodyExtras);
  });

  it('refuses features of another core format with what to do', async () => {
    const bytes = await encodeCatalogFile(contents, 1);
    await expect(decodeCatalogFile(bytes, 2)).rejects.toThrow(/Index the original audio again/);
  });
});

describe('catalog file: melody notes and MIDI works', () => {
  const notes = {
    startSec: Float32Array.from([0.5, 1, 1.75]),
    endSec: Float32Array.from([1, 1.5, 2.25]),
    midi: Float32Array.from([64.25, 67, 71.5]),
  };
  const withNotes: WorkRecord = { ...work('m', 20), fingerprint: { ...work('m', 20).fingerprint, notes } };
  const midiWork: WorkRecord = {
    meta: { ...work('score', 0).meta, sourceName: 'score.mid', sourceKind: 'midi', midiTrack: 2 },
    fingerprint: { ...work('score', 12).fingerprint, hashes: new Uint32Array(0), hashFrames: new Uint32Array(0), peakCount: 0, notes },
  };

  it("round-trips a work's notes and a MIDI work's kind and track, next to works without notes", async () => {
    const mixed: CatalogContents = { ...contents, works: [work('a', 50), withNotes, midiWork, work('c', 7)] };
    const back = await decodeCatalogFile(await encodeCatalogFile(mixed, 1), 1);
    expect(back.works.map((w) => w.meta)).toEqual(mixed.works.map((w) => w.meta));
    expect(back.works[2].meta).toMatchObject({ sourceKind: 'midi', midiTrack: 2 });
    expect(back.works[0].fingerprint.notes).toBeUndefined();
    expect(back.works[3].fingerprint.notes).toBeUndefined();
    for (const i of [1, 2]) {
      const n = back.works[i].fingerprint.notes!;
      expect(Array.from(n.startSec)).toEqual([0.5, 1, 1.75]);
      expect(Array.from(n.endSec)).toEqual([1, 1.5, 2.25]);
      expect(Array.from(n.midi)).toEqual([64.25, 67, 71.5]);
    }
    // The works after one with notes still find their own features.
    expect(Array.from(back.works[3].fingerprint.hashes)).toEqual(Array.from(mixed.works[3].fingerprint.hashes));
    expect(Array.from(back.works[2].fingerprint.melodyExtras)).toEqual(Array.from(midiWork.fingerprint.melodyExtras));
  });

  it('a file written before notes were kept (no noteCount, no sourceKind) still loads, as audio works without notes', async () => {
    const bytes = await encodeCatalogFile(contents, 1);
    const header = new TextDecoder().decode(bytes.subarray(12, 12 + new DataView(bytes.buffer).getUint32(8, true)));
    expect(header).not.toMatch(/noteCount|sourceKind/);
    const back = await decodeCatalogFile(bytes, 1);
    expect(back.works.every((w) => w.fingerprint.notes === undefined && w.meta.sourceKind === undefined)).toBe(true);
  });

  it('refuses notes that run past the end of the features block', async () => {
    const bytes = await encodeCatalogFile({ ...contents, works: [withNotes] }, 1);
    // Claim more notes than were written, and re-seal the checksum so only the bounds check can catch it.
    const headerLength = new DataView(bytes.buffer).getUint32(8, true);
    const header = new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)).replace('"noteCount":3', '"noteCount":9');
    const json = new TextEncoder().encode(header);
    expect(json.length).toBe(headerLength);
    const bad = bytes.slice();
    bad.set(json, 12);
    bad.set(new Uint8Array(await crypto.subtle.digest('SHA-256', bad.subarray(0, bad.length - 32))), bad.length - 32);
    await expect(decodeCatalogFile(bad, 1)).rejects.toThrow(/not a Tunetrace catalog/);
  });
});
