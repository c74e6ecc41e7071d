import type { Core } from './wasm-core';
import { matchFingerprint, type SlotWork } from './matching';
import type { Fingerprint, QueryResult, WorkMeta } from './types';

/** The slot table of a CatalogIndex (see slotTable). */
export interface IndexSlots {
  /** By slot: the work it holds, or '' if free. */
  workIds: string[];
  freeSlots: number[];
}

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
  /** Adds, removals and clears so far: a snapshot taken later is of the same index only if this has not moved. */
  changes = 0;

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
    this.changes++;
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
    this.changes++;
    this.core.indexRemove(slot);
    this.slots.delete(workId);
    this.works.delete(slot);
    this.freeSlots.push(slot);
    return true;
  }

  /** Which work each slot holds ('' for a free one) and the free slots in the order they are reused: what a snapshot keeps besides the core's index. */
  slotTable(): IndexSlots {
    const workIds = Array.from({ length: this.nextSlot }, (_, slot) => this.works.get(slot)?.workId ?? '');
    return { workIds, freeSlots: [...this.freeSlots] };
  }

  /**
   * Takes the slots of a snapshot whose index the core already holds (Core.indexRestore); titles from
   * `titleOf`. False if the table does not fit the core's index (then nothing is taken).
   */
  restoreSlots(table: IndexSlots, titleOf: (workId: string) => string | undefined): boolean {
    const { workIds, freeSlots } = table;
    const used = workIds.filter((id) => id !== '');
    if (used.length !== this.core.indexWorkCount || new Set(used).size !== used.length) return false;
    const free = workIds.length - used.length;
    if (freeSlots.some((s) => workIds[s] !== '') || freeSlots.length !== free || new Set(freeSlots).size !== free) return false;
    if (used.some((id) => titleOf(id) === undefined)) return false;
    this.slots.clear();
    this.works.clear();
    workIds.forEach((workId, slot) => {
      if (workId === '') return;
      this.slots.set(workId, slot);
      this.works.set(slot, { workId, title: titleOf(workId)! });
    });
    this.freeSlots.length = 0;
    this.freeSlots.push(...freeSlots);
    this.nextSlot = workIds.length;
    return true;
  }

  clear(): void {
    this.changes++;
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
