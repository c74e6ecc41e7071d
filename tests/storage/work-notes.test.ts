import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteDB } from 'idb';
import { openCatalogDb, type CatalogDb } from '../../src/storage/db';
import { getAudio, getWorkNotes, listWorks, putWork, readAllFeatures } from '../../src/storage/works';
import type { Fingerprint, WorkRecord } from '../../src/core/types';

function fingerprint(n: number): Fingerprint {
  return {
    formatVersion: 1, durationSec: 30, frameCount: 3700, peakCount: n, rms: 0.2,
    hashes: Uint32Array.from({ length: n }, (_, i) => i * 7),
    hashFrames: Uint32Array.from({ length: n }, (_, i) => i),
    triplets: new Uint32Array(0), tripletFrames: new Uint32Array(0), tripletExtras: new Uint32Array(0),
    melody: Uint32Array.from({ length: 40 }, (_, i) => i * 11),
    melodyFrames: Uint32Array.from({ length: 40 }, (_, i) => i * 9),
    melodyExtras: Uint32Array.from({ length: 40 }, (_, i) => i * 13),
  };
}

const notes = { startSec: Float32Array.from([0, 0.5, 1]), endSec: Float32Array.from([0.5, 1, 2]), midi: Float32Array.from([60, 62.5, 64]) };

let dbName: string;
let db: CatalogDb;

beforeEach(async () => {
  dbName = `tunetrace-test-${crypto.randomUUID()}`;
  db = await openCatalogDb(dbName);
});

afterEach(async () => {
  db.close();
  await deleteDB(dbName);
});

describe('melody notes and MIDI works in IndexedDB', () => {
  it("keeps a work's notes with its features, and a MIDI work's kind, track and .mid file", async () => {
    const midi: WorkRecord = {
      meta: { id: 'score', title: 'Score', durationSec: 30, addedAt: 1, sourceName: 'score.mid', sourceKind: 'midi', midiTrack: 3 },
      fingerprint: { ...fingerprint(0), notes },
    };
    const file = new Blob([new Uint8Array(300)], { type: 'audio/midi' });
    await putWork(db, midi, file);
    const [stored] = await listWorks(db);
    expect(stored).toMatchObject({ sourceKind: 'midi', midiTrack: 3, audioBytes: 300 });
    // 40 packed note triplets (3-byte hash, a 1-byte step of frame, 4-byte extra) + 3 notes × 12 bytes.
    expect(stored.featureBytes).toBe(40 * (3 + 1 + 4) + 3 * 12);
    const { works } = await readAllFeatures(db, 1);
    expect(works[0].meta).toEqual(midi.meta);
    expect(Array.from(works[0].fingerprint.notes!.midi)).toEqual([60, 62.5, 64]);
    const back = await getWorkNotes(db, 'score');
    expect(back?.startSec).toBeInstanceOf(Float32Array);
    expect(Array.from(back!.endSec)).toEqual([0.5, 1, 2]);
    expect((await getAudio(db, 'score'))?.size).toBe(300);
  });

  it('a work stored without notes (before they were kept) still loads; its notes read as not stored', async () => {
    await putWork(db, { meta: { id: 'old', title: 'Old', durationSec: 30, addedAt: 1, sourceName: 'old.wav' }, fingerprint: fingerprint(100) });
    const { works, staleIds } = await readAllFeatures(db, 1);
    expect(staleIds).toEqual([]);
    expect(works[0].meta).toEqual({ id: 'old', title: 'Old', durationSec: 30, addedAt: 1, sourceName: 'old.wav' });
    expect(works[0].fingerprint.notes).toBeUndefined();
    expect(await getWorkNotes(db, 'old')).toBeUndefined();
    expect(await getWorkNotes(db, 'nobody')).toBeUndefined();
  });
});
