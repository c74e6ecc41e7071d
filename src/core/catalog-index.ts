import type { Core } from './wasm-core';
import { matchFingerprint, type SlotWork } from './matching';
import type { Fingerprint, QueryResult, WorkMeta } from './types';

/**
 * The in-memory index of a catalog: gives each work a slot in the core's
 * index and remembers which work a slot holds. One class for the browser's
 * matcher worker and the CLI.
 */
export class CatalogIndex {
  private readonly slots = new Map<string, number>();
  private readonly works = new Map<number, SlotWork>();
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;

  constructor(readonly core: Core) {}

  get size(): number {
    return this.slots.size;
  }

  has(workId: string): boolean {
    return this.slots.has(workId);
  }

  /** Adds (or replaces) a work. */
  add(meta: Pick<WorkMeta, 'id' | 'title'>, fingerprint: Fingerprint): void {
    this.remove(meta.id);
    const slot = this.freeSlots.pop() ?? this.nextSlot++;
    if (slot >= this.core.maxWorks) throw new Error(`A catalog holds at most ${this.core.maxWorks} works.`);
    this.core.indexAdd(slot, fingerprint);
    this.slots.set(meta.id, slot);
    this.works.set(slot, { workId: meta.id, title: meta.title });
  }

  rename(workId: string, title: string): void {
    const slot = this.slots.get(workId);
    if (slot !== undefined) this.works.set(slot, { workId, title });
  }

  remove(workId: string): boolean {
    const slot = this.slots.get(workId);
    if (slot === undefined) return false;
    this.core.indexRemove(slot);
    this.slots.delete(workId);
    this.works.delete(slot);
    this.freeSlots.push(slot);
    return true;
  }

  clear(): void {
    this.core.indexClear();
    this.slots.clear();
    this.works.clear();
    this.freeSlots.length = 0;
    this.nextSlot = 0;
  }

  match(query: Fingerprint): QueryResult {
    return matchFingerprint(this.core, query, this.works);
  }
}
