import type { IDBPDatabase } from 'idb';
import wasmUrl from '../../build/core.wasm?url';
import { Core, coreBuildId } from '../../src/core/wasm-core';
import type { Fingerprint, WorkRecord } from '../../src/core/types';
import { slice } from '../fixtures/audio';

// Shared by the storage tests: past versions of the database laid out with raw IndexedDB calls
// (independent of src/storage/db.ts, whose migrations they test), and works with real features.

/**
 * Creates the stores exactly as version `version` (1–3) of the app laid them out: 1 the works with
 * their features, audio and catalog info; 2 added rights metadata; 3 added the history of checks.
 */
export function createStoresOfVersion(d: IDBPDatabase<unknown>, version: 1 | 2 | 3): void {
  const works = d.createObjectStore('works', { keyPath: 'id' });
  works.createIndex('addedAt', 'addedAt');
  d.createObjectStore('features', { keyPath: 'id' });
  d.createObjectStore('audio', { keyPath: 'id' });
  d.createObjectStore('info');
  if (version >= 2) d.createObjectStore('metadata', { keyPath: 'workId' });
  if (version >= 3) d.createObjectStore('history', { keyPath: 'id' }).createIndex('checkedAt', 'checkedAt');
}

export interface AnalysedWorks {
  /** The compiled core (a fresh `Core.load(module)` is a fresh index) and its build id. */
  module: WebAssembly.Module;
  coreId: string;
  /** Works `w0`, `w1`, … (“Work 0” …) with the features of each audio. */
  refs: WorkRecord[];
  /** One query per work: its audio from `from(i)` to `to(i)` seconds. */
  queries: Fingerprint[];
}

/** The core build under test, and works and queries analysed by it from `audio` (mono at `rateHz`). */
export async function analysedWorks(
  audio: Float32Array[], rateHz: number, from: (i: number) => number, to: (i: number) => number,
): Promise<AnalysedWorks> {
  const bytes = await (await fetch(wasmUrl)).arrayBuffer();
  const module = await WebAssembly.compile(bytes);
  const core = await Core.load(module);
  const refs = audio.map((x, i): WorkRecord => {
    const id = `w${i}`;
    return { meta: { id, title: `Work ${i}`, durationSec: x.length / rateHz, addedAt: 1000 + i, sourceName: `${id}.wav` }, fingerprint: core.analyse({ sampleRateHz: rateHz, channels: [x] }) };
  });
  const queries = audio.map((x, i) => core.analyse({ sampleRateHz: rateHz, channels: [slice(x, rateHz, from(i), to(i))] }, { role: 'query' }));
  return { module, coreId: await coreBuildId(bytes), refs, queries };
}
