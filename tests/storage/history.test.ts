import { afterEach, describe, expect, it } from 'vitest';
import { deleteDB, openDB } from 'idb';
import { openCatalogDb, type CatalogDb } from '../../src/storage/db';
import { DB_VERSION } from '../../src/storage/schema';
import { getAudio, getCatalogInfo, listWorks } from '../../src/storage/works';
import { listMetadata } from '../../src/storage/metadata';
import { checkFromReport, deleteCheck, getCheck, HISTORY_TOP_SHARES, keepMelodyNotes, listChecks, putCheck, savedMelodyNotes } from '../../src/storage/history';
import { melodyEvidence } from '../../src/core/melody-evidence';
import { noteLineFromNotes } from '../../src/core/note-line';
import { buildReport, reportToJson } from '../../src/report/report';
import { emptyMetadata, type WorkMetadata } from '../../src/core/metadata';
import type { Fingerprint, MatchSegment, NoteLine, QueryResult } from '../../src/core/types';
import { createStoresOfVersion } from './fixtures';

let dbName = '';
let db: CatalogDb | undefined;

afterEach(async () => {
  db?.close();
  db = undefined;
  await deleteDB(dbName);
});

/** Writes a catalog exactly as version 2 of the app laid it out (works with features, audio, info, metadata), with raw IndexedDB calls. */
async function makeVersion2(name: string, workCount: number) {
  const v2 = await openDB(name, 2, { upgrade: (d) => createStoresOfVersion(d, 2) });
  const tx = v2.transaction(['works', 'features', 'audio', 'info', 'metadata'], 'readwrite');
  const works = [];
  const metadata: WorkMetadata[] = [];
  const features = [];
  for (let i = 0; i < workCount; i++) {
    const id = `w${i}`;
    const n = 40 + i;
    const fp = {
      id, formatVersion: 2, durationSec: 10 + i, frameCount: 1250, peakCount: 99, rms: 0.1,
      hashes: Uint32Array.from({ length: n }, (_, k) => k * 31 + i), hashFrames: Uint32Array.from({ length: n }, (_, k) => k),
      triplets: Uint32Array.from({ length: n }, (_, k) => k * 7 + i), tripletFrames: Uint32Array.from({ length: n }, (_, k) => k),
      tripletExtras: Uint32Array.from({ length: n }, (_, k) => k * 3),
    };
    const work = { id, title: `Work ${i}`, durationSec: 10 + i, addedAt: 1000 + i, sourceName: `${id}.wav`, formatVersion: 2, hashCount: n, audioBytes: i % 2 ? 0 : 5 + i, featureBytes: n * 20 };
    void tx.objectStore('works').put(work);
    void tx.objectStore('features').put(fp);
    if (work.audioBytes) void tx.objectStore('audio').put({ id, blob: new Blob([new Uint8Array(work.audioBytes).fill(i)]) });
    if (i < 3) {
      const m: WorkMetadata = { ...emptyMetadata(id), clearance: 'cleared', isrc: `GB-A1B-24-0000${i}`, creators: [{ name: `Writer ${i}`, role: 'composer', splitPercent: 100 }] };
      void tx.objectStore('metadata').put(m);
      metadata.push(m);
    }
    works.push(work);
    features.push(fp);
  }
  void tx.objectStore('info').put({ catalogId: 'cat-v2', name: 'Catalog two', createdAt: 7, demoSeeded: true, keepAudio: true }, 'catalog');
  await tx.done;
  v2.close();
  return { works, metadata, features };
}

function segment(workId: string, title: string, queryStartSec: number, queryEndSec: number): MatchSegment {
  return {
    workId, title, evidence: 'recording', confidence: 0.9999, queryStartSec, queryEndSec,
    refStartSec: 1, refEndSec: 1 + (queryEndSec - queryStartSec) / 0.95, timeRatio: 0.95, pitchShiftSemitones: 2, hits: 80, expectedHits: 0.4,
  };
}

/** A report over a made-up result: four works found, with different shares. */
function report(fileName: string, generatedAt: Date) {
  const durationSec = 100;
  const spans: [string, number, number][] = [['a', 0, 10], ['b', 10, 40], ['c', 40, 45], ['d', 50, 70]];
  const matches = spans.map(([id, s, e]) => segment(id, `Title ${id}`, s, e));
  const shares = spans.map(([id, s, e]) => ({ workId: id, title: `Title ${id}`, seconds: e - s, proportion: (e - s) / durationSec }));
  const result: QueryResult = { durationSec, matches, shares, unattributedSec: 35, searchedWorks: 9 };
  const metadata = new Map([['b', { ...emptyMetadata('b'), clearance: 'not-cleared' as const }]]);
  return buildReport({
    file: { name: fileName, sha256: 'ab'.repeat(32), sizeBytes: 1234 }, result, catalog: { id: 'cat', name: 'Mine', works: 9 },
    formatVersion: 2, metadata, via: 'app', generatedAt,
  });
}

describe('history of checks in real IndexedDB', () => {
  it('migrates a version-2 catalog with works, audio and metadata to version 3 without losing anything', async () => {
    dbName = `tunetrace-history-migrate-${crypto.randomUUID()}`;
    const before = await makeVersion2(dbName, 5);
    db = await openCatalogDb(dbName);
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['audio', 'features', 'history', 'info', 'metadata', 'snapshot', 'works']);
    expect(await listWorks(db)).toEqual(before.works);
    const features = await db.getAll('features');
    expect(features).toEqual(before.features);
    expect((features[3] as Fingerprint).triplets).toBeInstanceOf(Uint32Array);
    expect((await getAudio(db, 'w4'))?.size).toBe(9);
    expect(new Uint8Array(await (await getAudio(db, 'w2'))!.arrayBuffer())).toEqual(new Uint8Array(7).fill(2));
    expect(await getAudio(db, 'w1')).toBeUndefined();
    expect(await getCatalogInfo(db)).toEqual({ catalogId: 'cat-v2', name: 'Catalog two', createdAt: 7, demoSeeded: true, keepAudio: true });
    expect((await listMetadata(db)).sort((a, b) => a.workId.localeCompare(b.workId))).toEqual(before.metadata);
    // The new store starts empty, has its index, and keeps what is put in it across a reopen.
    expect(await listChecks(db)).toEqual([]);
    expect([...db.transaction('history').store.indexNames]).toEqual(['checkedAt']);
    await putCheck(db, checkFromReport(report('old.wav', new Date(5000)), 'h1'));
    db.close();
    db = await openCatalogDb(dbName);
    expect((await listChecks(db)).map((c) => c.id)).toEqual(['h1']);
    expect((await listWorks(db)).length).toBe(5);
  });

  it('summarises a report: file, date, works found, the largest shares first, clearance', () => {
    const r = report('track.mp3', new Date('2026-11-25T10:00:00Z'));
    const entry = checkFromReport(r, 'x');
    expect(entry).toMatchObject({ id: 'x', fileName: 'track.mp3', checkedAt: Date.parse('2026-11-25T10:00:00Z'), durationSec: 100, worksFound: 4, clearance: 'flagged' });
    expect(entry.topShares).toHaveLength(HISTORY_TOP_SHARES);
    expect(entry.topShares.map((s) => [s.workId, s.proportion])).toEqual([['b', 0.3], ['d', 0.2], ['a', 0.1]]);
    expect(entry.report).toBe(r);
    expect(checkFromReport(r).id).not.toBe(checkFromReport(r).id);
  });

  it('saves checks with their whole report, lists them newest first, re-opens and deletes them', async () => {
    dbName = `tunetrace-history-${crypto.randomUUID()}`;
    db = await openCatalogDb(dbName);
    const older = checkFromReport(report('first.wav', new Date('2026-01-01T00:00:00Z')));
    const newer = checkFromReport(report('second.wav', new Date('2026-02-01T00:00:00Z')));
    await putCheck(db, newer);
    await putCheck(db, older);
    expect((await listChecks(db)).map((c) => c.fileName)).toEqual(['second.wav', 'first.wav']);
    const reopened = await getCheck(db, older.id);
    // The stored report is the report: it exports to the very same JSON.
    expect(reportToJson(reopened!.report)).toBe(reportToJson(older.report));
    expect(reopened).toEqual(older);
    await deleteCheck(db, older.id);
    expect(await getCheck(db, older.id)).toBeUndefined();
    expect((await listChecks(db)).map((c) => c.id)).toEqual([newer.id]);
    // Deleting history touches nothing else, and nothing in it is audio.
    expect(JSON.stringify(await listChecks(db))).not.toMatch(/blob/i);
  });

  it("keeps each melody segment's notes (the track's and the work's, as at check time) and re-opens them; an old record without them still loads", async () => {
    dbName = `tunetrace-history-notes-${crypto.randomUUID()}`;
    db = await openCatalogDb(dbName);
    // A work's melody: a note every 0.5 s from 0 to 30 s, rising by a semitone and wrapping every octave.
    const workLine = noteLineFromNotes(Array.from({ length: 60 }, (_, k) => ({ startSec: k * 0.5, endSec: k * 0.5 + 0.4, midi: 60 + (k % 12) + 0.1 })));
    // The track plays 10–18 s of it from 40 s, 2 semitones up and 5 % slower (every fourth note is off), over other notes elsewhere.
    const melody: MatchSegment = {
      workId: 'm', title: 'Tune', evidence: 'melody', confidence: 0.999, queryStartSec: 40, queryEndSec: 48.4,
      refStartSec: 10, refEndSec: 18, timeRatio: 1.05, pitchShiftSemitones: 2, hits: 12, expectedHits: 0.01,
    };
    const heard = Array.from({ length: 16 }, (_, k) => ({
      startSec: 40 + k * 0.5 * 1.05, endSec: 40 + (k * 0.5 + 0.4) * 1.05, midi: 62 + ((20 + k) % 12) + (k % 4 === 3 ? 3 : 0),
    }));
    const trackLine = noteLineFromNotes([{ startSec: 2, endSec: 3, midi: 50 }, ...heard, { startSec: 70, endSec: 71, midi: 70 }]);
    const r = report('tune.wav', new Date('2026-03-01T00:00:00Z'));
    r.segments.push({ ...melody, index: r.segments.length, clearance: 'unknown' });
    const index = r.segments.length - 1;
    const asked: string[] = [];
    const workNotes = async (id: string): Promise<NoteLine | undefined> => {
      asked.push(id);
      return id === 'm' ? workLine : undefined;
    };
    const kept = await keepMelodyNotes(r.segments, trackLine, workNotes);
    // Only the melody segment keeps notes, only those of its span, as plain numbers.
    expect(kept.map((k) => k.segment)).toEqual([index]);
    expect(asked).toEqual(['m']);
    expect(kept[0].track!.midi).toHaveLength(16);
    // The work's notes of 10–18 s, in the work's own time (9.5–9.9 s would end before the span, at 39.9 s in the track).
    expect(kept[0].work!.startSec[0]).toBe(10);
    expect(kept[0].work!.startSec.length).toBeGreaterThanOrEqual(16);
    expect(kept[0].work!.startSec.length).toBeLessThanOrEqual(17);
    const live = melodyEvidence(melody, trackLine, workLine);
    expect(live.workNotes).toBeGreaterThan(10);
    expect(live.linedUp).toBeLessThan(live.workNotes);

    const entry = checkFromReport(r, 'with-notes', kept);
    await putCheck(db, entry);
    db.close();
    db = await openCatalogDb(dbName);
    const reopened = (await getCheck(db, 'with-notes'))!;
    expect(reopened).toEqual(entry);
    const saved = savedMelodyNotes(reopened, index);
    if (!saved.kept || !saved.track || !saved.work) throw new Error('the notes were not kept');
    expect(saved.track.midi).toBeInstanceOf(Float32Array);
    // Drawn from the saved notes, the piano roll says what the live check said.
    expect(melodyEvidence(melody, saved.track, saved.work)).toEqual(live);
    // A segment without kept notes (a recording segment) says so.
    expect(savedMelodyNotes(reopened, 0)).toEqual({ kept: false });

    // A work without stored notes, and a check whose track notes were not available, are kept as such.
    const noWork = await keepMelodyNotes(r.segments, trackLine, async () => undefined);
    expect(noWork).toEqual([{ segment: index, track: expect.any(Object), work: null }]);
    expect(await keepMelodyNotes(r.segments, null, workNotes)).toEqual([{ segment: index, track: null, work: expect.any(Object) }]);
    // A check with no melody segment keeps an empty list: notes were kept, there were none.
    expect(checkFromReport(report('plain.wav', new Date(9)), 'p', await keepMelodyNotes(report('plain.wav', new Date(9)).segments, trackLine, workNotes)).melodyNotes).toEqual([]);

    // A record saved before notes were kept (no `melodyNotes`, written as that Tunetrace wrote it) still opens and lists.
    const old = checkFromReport(report('old.wav', new Date('2026-01-01T00:00:00Z')), 'old');
    old.report.segments.push({ ...melody, index: old.report.segments.length, clearance: 'unknown' });
    expect('melodyNotes' in old).toBe(false);
    await db.put('history', old);
    const oldReopened = (await getCheck(db, 'old'))!;
    expect(oldReopened).toEqual(old);
    expect(savedMelodyNotes(oldReopened, old.report.segments.length - 1)).toEqual({ kept: false });
    expect((await listChecks(db)).map((c) => c.id)).toEqual(['with-notes', 'old']);
  });
});
