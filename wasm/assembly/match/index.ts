import { Buf32 } from '../mem';
import { HASH_BITS } from '../fingerprint/hashes';
import { TRIPLET_HASH_BITS } from '../fingerprint/triplets';
import { work_notes_add, work_notes_remove, work_notes_clear } from './note-check';

// The inverted indexes: hash → postings (work slot, frame[, extra]) in
// compressed-row form: postings of hash h are rows[offsets[h] … offsets[h+1]).
// A posting packs the work slot in the top 14 bits and the frame in the low 18
// bits (2^18 frames × 8 ms = 35 min per work; 16,384 works). Triplet postings
// carry one more word (pitch and time spans, see fingerprint/triplets.ts).
//
// The rows are the only copy of the postings. A work added waits as pending
// entries appended to the partition of its hash's top bits; the next build
// merges each partition into its range of rows and frees the pending chunks.
// That is a two-pass radix sort whose first pass runs as works are added (while
// the catalog is still being read), and whose second pass only touches one
// partition's rows at a time (cache-sized), where one scatter over all rows
// would miss the cache on nearly every posting. A pending entry packs the row
// within its partition with the frame (31 bits); the slot is written once per
// work and partition, as a marker with the top bit set. So a pending posting
// takes 4 bytes (8 with its extra), as a built one does.
// Each row keeps its postings in add order (older works first), as the triplet
// vote's tie-breaks depend on hit order. Linear memory never shrinks, so what
// counts is the peak: pending chunks are small and fixed-size, and the rows are
// sized exactly when built from nothing (a catalog load).

export const SLOT_BITS: i32 = 14;
export const FRAME_BITS: i32 = 18;
export const MAX_SLOTS: i32 = 1 << SLOT_BITS;
export const MAX_FRAMES: i32 = 1 << FRAME_BITS;

/** Rows per partition: 2^13 (32 kB of build cursors); a pending entry keeps the row in 13 bits. */
const ROW_BITS: i32 = 13;
const MARKER: u32 = 0x80000000;
/** Words per pending chunk (16 kB): small, so partly filled chunks waste little (≤ 4 MB an index). */
const CHUNK_WORDS: i32 = 4096;
/** Headroom when the built rows grow for works added later, so that small adds rarely move them. */
const GROWTH_SHIFT: i32 = 3; // 1/8

export class HashIndex {
  readonly hashCount: i32;
  readonly parts: i32;
  readonly offsets: Buf32 = new Buf32();
  readonly postings: Buf32 = new Buf32();
  readonly extras: Buf32 = new Buf32();
  /** Per partition: its chunks (pointers, in order), where the next entry goes, where the last chunk ends. */
  readonly partChunks: StaticArray<Buf32>;
  readonly partTails: Buf32 = new Buf32();
  readonly partEnds: Buf32 = new Buf32();
  /** Per partition: 1 + the slot of its last marker (0: none). */
  readonly partSlots: Buf32 = new Buf32();
  /** Slots added since the last build (their postings are pending, not in the rows). */
  readonly pendSlots: Buf32 = new Buf32();
  /** Per row of one partition: pending count, then cursor (build scratch). */
  readonly cursors: Buf32 = new Buf32();
  pendTotal: i32 = 0;
  chunkCount: i32 = 0;
  dirty: bool = true;

  constructor(hashBits: i32, readonly withExtra: bool) {
    const parts = 1 << (hashBits - ROW_BITS);
    this.partChunks = new StaticArray<Buf32>(parts);
    this.hashCount = 1 << hashBits;
    this.parts = parts;
    for (let p = 0; p < parts; p++) this.partChunks[p] = new Buf32();
    this.partTails.resize(this.parts);
    this.partEnds.resize(this.parts);
    this.partSlots.resize(this.parts);
    this.resetParts();
  }

  private resetParts(): void {
    const bytes = <usize>this.parts << 2;
    memory.fill(this.partTails.ptr, 0, bytes);
    memory.fill(this.partEnds.ptr, 0, bytes);
    memory.fill(this.partSlots.ptr, 0, bytes);
  }

  /** Words per pending entry (and per marker). */
  @inline get words(): i32 { return this.withExtra ? 2 : 1; }

  /** Entries a chunk holds. */
  @inline get perChunk(): i32 { return CHUNK_WORDS / this.words; }

  /** Adds `count` entries of `slot`: hashes at `hashes`, frames at `frames`, extras at `extras` (if used). */
  add(slot: i32, hashes: usize, frames: usize, extras: usize, count: i32): void {
    this.dirty = true;
    this.pendSlots.pushU32(<u32>slot);
    const H = this.hashCount;
    const stride = <usize>this.words << 2;
    const tails = this.partTails.ptr;
    const ends = this.partEnds.ptr;
    const slots = this.partSlots.ptr;
    const mark = <u32>(slot + 1);
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const frame = load<u32>(frames + (<usize>i << 2));
      const hash = load<u32>(hashes + (<usize>i << 2));
      if (frame >= <u32>MAX_FRAMES || hash >= <u32>H) continue;
      // Per partition: the address of its next entry and the end of its last chunk's room.
      const q = <usize>(hash >> ROW_BITS) << 2;
      let at = <usize>load<u32>(tails + q);
      if (load<u32>(slots + q) != mark) {
        if (at == <usize>load<u32>(ends + q)) at = this.newChunk(<i32>(q >> 2));
        store<u32>(at, MARKER | <u32>slot);
        at += stride;
        store<u32>(slots + q, mark);
      }
      if (at == <usize>load<u32>(ends + q)) at = this.newChunk(<i32>(q >> 2));
      store<u32>(at, ((hash & ((1 << ROW_BITS) - 1)) << FRAME_BITS) | frame);
      if (this.withExtra) store<u32>(at, load<u32>(extras + (<usize>i << 2)), 4);
      store<u32>(tails + q, <u32>(at + stride));
      kept++;
    }
    this.pendTotal += kept;
  }

  private newChunk(p: i32): usize {
    const chunk = heap.alloc(<usize>CHUNK_WORDS << 2);
    this.partChunks[p].pushU32(<u32>chunk);
    this.partEnds.setU32(p, <u32>(chunk + (<usize>(this.perChunk * this.words) << 2)));
    this.chunkCount++;
    return chunk;
  }

  /** Pending entries and markers of partition `p`. */
  private partLength(p: i32): i32 {
    const chunks = this.partChunks[p];
    if (chunks.length == 0) return 0;
    const inLast = <i32>(this.partTails.u32At(p) - chunks.u32At(chunks.length - 1)) / (this.words << 2);
    return (chunks.length - 1) * this.perChunk + inLast;
  }

  /** Address of pending entry (or marker) `i` of partition `p`. */
  @inline private entryAt(p: i32, i: i32): usize {
    const per = this.perChunk;
    return <usize>this.partChunks[p].u32At(i / per) + (<usize>((i % per) * this.words) << 2);
  }

  /** Drops every posting of `slot`: its pending entries, or its postings in the rows (compacted in place). */
  remove(slot: i32): void {
    let pending = false;
    for (let w = 0; w < this.pendSlots.length; w++) {
      if (<i32>this.pendSlots.u32At(w) != slot) continue;
      for (let v = w + 1; v < this.pendSlots.length; v++) this.pendSlots.setU32(v - 1, this.pendSlots.u32At(v));
      this.pendSlots.length--;
      pending = true;
      break;
    }
    if (pending) this.removePending(slot);
    else this.removeBuilt(slot);
  }

  /** Compacts the pending entries of every partition, keeping their order. O(pending). */
  private removePending(slot: i32): void {
    const words = this.words;
    const per = this.perChunk;
    for (let p = 0; p < this.parts; p++) {
      const n = this.partLength(p);
      let kept = 0;
      let dropped = 0;
      let current: u32 = 0; // 1 + slot of the entries being read
      let lastKept: u32 = 0;
      for (let i = 0; i < n; i++) {
        const from = this.entryAt(p, i);
        const w = load<u32>(from);
        if (w & MARKER) current = (w & ~MARKER) + 1;
        if (current == <u32>(slot + 1)) {
          if (!(w & MARKER)) dropped++;
          continue;
        }
        if (w & MARKER) lastKept = current;
        if (kept != i) memory.copy(this.entryAt(p, kept), from, <usize>words << 2);
        kept++;
      }
      if (kept == n) continue;
      const chunks = this.partChunks[p];
      const need = (kept + per - 1) / per;
      while (chunks.length > need) {
        heap.free(<usize>chunks.u32At(chunks.length - 1));
        chunks.length--;
        this.chunkCount--;
      }
      // The tail: after the last kept entry (a full last chunk, or none, has no room: tail = end).
      if (need == 0) {
        this.partTails.setU32(p, 0);
        this.partEnds.setU32(p, 0);
      } else {
        const lastChunk = <usize>chunks.u32At(need - 1);
        this.partEnds.setU32(p, <u32>(lastChunk + (<usize>(per * words) << 2)));
        this.partTails.setU32(p, <u32>(lastChunk + (<usize>((kept - (need - 1) * per) * words) << 2)));
      }
      this.partSlots.setU32(p, lastKept);
      this.pendTotal -= dropped;
    }
  }

  /** Compacts the rows in place, keeping their order. O(postings). */
  private removeBuilt(slot: i32): void {
    const offsets = this.offsets;
    if (offsets.length == 0) return;
    const H = this.hashCount;
    const withExtra = this.withExtra;
    const postings = this.postings.ptr;
    const extras = this.extras.ptr;
    let w: u32 = 0;
    let from = offsets.u32At(0);
    for (let h = 0; h < H; h++) {
      const to = offsets.u32At(h + 1);
      offsets.setU32(h, w);
      for (let p = from; p < to; p++) {
        const posting = load<u32>(postings + (<usize>p << 2));
        if (<i32>(posting >> FRAME_BITS) == slot) continue;
        store<u32>(postings + (<usize>w << 2), posting);
        if (withExtra) store<u32>(extras + (<usize>w << 2), load<u32>(extras + (<usize>p << 2)));
        w++;
      }
      from = to;
    }
    offsets.setU32(H, w);
    this.postings.length = <i32>w;
    if (withExtra) this.extras.length = <i32>w;
  }

  clear(): void {
    this.dropPending();
    this.postings.clear();
    this.extras.clear();
    this.offsets.clear();
    this.dirty = true;
  }

  /** Merges the pending entries into the rows, then frees their chunks. */
  build(): void {
    if (!this.dirty) return;
    const H = this.hashCount;
    const offsets = this.offsets;
    if (offsets.length == 0) {
      offsets.resizeExact(H + 1);
      memory.fill(offsets.ptr, 0, <usize>(H + 1) << 2);
    }
    if (this.pendTotal > 0) this.merge();
    this.dropPending();
    this.dirty = false;
  }

  /**
   * Partition by partition from the last: moves each built row to its merged start (old start +
   * pending entries of the rows before it) — in place from the back when the rows have room, else
   * into a new block — then writes the partition's pending entries after each row's built postings.
   */
  private merge(): void {
    const H = this.hashCount;
    const offsets = this.offsets;
    const withExtra = this.withExtra;
    const old = this.postings.length;
    const n = old + this.pendTotal;
    const moved = this.postings.capacity < n;
    // Exact from nothing (a load); with headroom when a built index grows.
    const cap = old == 0 ? n : n + (n >> GROWTH_SHIFT);
    const srcP = this.postings.ptr;
    const srcE = this.extras.ptr;
    const dstP = moved ? heap.alloc(<usize>cap << 2) : srcP;
    const dstE = withExtra ? (moved ? heap.alloc(<usize>cap << 2) : srcE) : 0;
    const rows = 1 << ROW_BITS;
    const cursors = this.cursors;
    cursors.resize(rows);
    const stride = <usize>this.words << 2;
    const per = this.perChunk;
    let before = this.pendTotal; // pending entries in partitions before p
    let end = offsets.u32At(H); // old end of the row being moved
    offsets.setU32(H, <u32>n);
    for (let p = this.parts - 1; p >= 0; p--) {
      const length = this.partLength(p);
      const chunks = this.partChunks[p];
      const h0 = p << ROW_BITS;
      memory.fill(cursors.ptr, 0, <usize>rows << 2);
      let count: u32 = 0;
      for (let c = 0; c < chunks.length; c++) {
        let e = <usize>chunks.u32At(c);
        const last = e + <usize>min(per, length - c * per) * stride;
        for (; e < last; e += stride) {
          const w = load<u32>(e);
          if (w & MARKER) continue;
          const r = <i32>(w >> FRAME_BITS);
          cursors.setU32(r, cursors.u32At(r) + 1);
          count++;
        }
      }
      before -= <i32>count;
      let shift = <u32>before + count;
      for (let r = rows - 1; r >= 0; r--) {
        shift -= cursors.u32At(r);
        const start = offsets.u32At(h0 + r);
        const len = <usize>(end - start) << 2;
        const to = start + shift;
        if (len > 0 && (moved || shift != 0)) {
          memory.copy(dstP + (<usize>to << 2), srcP + (<usize>start << 2), len);
          if (withExtra) memory.copy(dstE + (<usize>to << 2), srcE + (<usize>start << 2), len);
        }
        offsets.setU32(h0 + r, to);
        cursors.setU32(r, to + (end - start));
        end = start;
      }
      let slotBits: u32 = 0;
      for (let c = 0; c < chunks.length; c++) {
        let e = <usize>chunks.u32At(c);
        const last = e + <usize>min(per, length - c * per) * stride;
        for (; e < last; e += stride) {
          const w = load<u32>(e);
          if (w & MARKER) {
            slotBits = (w & ~MARKER) << FRAME_BITS;
            continue;
          }
          const r = <i32>(w >> FRAME_BITS);
          const at = cursors.u32At(r);
          cursors.setU32(r, at + 1);
          store<u32>(dstP + (<usize>at << 2), slotBits | (w & <u32>(MAX_FRAMES - 1)));
          if (withExtra) store<u32>(dstE + (<usize>at << 2), load<u32>(e, 4));
        }
      }
    }
    if (moved) {
      if (srcP != 0) heap.free(srcP);
      if (srcE != 0) heap.free(srcE);
      this.postings.ptr = dstP;
      this.postings.capacity = cap;
      if (withExtra) {
        this.extras.ptr = dstE;
        this.extras.capacity = cap;
      }
    }
    this.postings.length = n;
    if (withExtra) this.extras.length = n;
  }

  /** Frees the pending chunks (after a merge, or on clear). */
  private dropPending(): void {
    for (let p = 0; p < this.parts; p++) {
      const chunks = this.partChunks[p];
      for (let c = 0; c < chunks.length; c++) heap.free(<usize>chunks.u32At(c));
      chunks.clear();
    }
    this.resetParts();
    this.pendSlots.clear();
    this.pendTotal = 0;
    this.chunkCount = 0;
  }

  /**
   * After the rows, offsets and extras were written from a snapshot (index/snapshot.ts): checks that
   * they are a built index whose postings name only slots that hold a work (`workFrames`), so a damaged
   * snapshot is refused rather than read out of bounds. O(postings).
   */
  restored(): bool {
    this.dropPending();
    this.dirty = false;
    const H = this.hashCount;
    const offsets = this.offsets;
    const n = this.postings.length;
    if (offsets.length != H + 1 || offsets.u32At(0) != 0 || offsets.u32At(H) != <u32>n) return false;
    if (this.extras.length != (this.withExtra ? n : 0)) return false;
    for (let h = 0; h < H; h++) if (offsets.u32At(h) > offsets.u32At(h + 1)) return false;
    const slots = workFrames.length;
    const postings = this.postings.ptr;
    for (let i = 0; i < n; i++) {
      const slot = <i32>(load<u32>(postings + (<usize>i << 2)) >> FRAME_BITS);
      if (slot >= slots || workFrames.u32At(slot) == 0) return false;
    }
    return true;
  }

  @inline rowStart(h: i32): i32 { return <i32>this.offsets.u32At(h); }
  @inline rowEnd(h: i32): i32 { return <i32>this.offsets.u32At(h + 1); }

  get postingCount(): i32 { return this.postings.length + this.pendTotal; }

  get bytes(): f64 {
    return <f64>(this.postings.capacity + this.extras.capacity + this.offsets.capacity + this.cursors.capacity) * 4.0 +
      <f64>this.chunkCount * <f64>(CHUNK_WORDS << 2);
  }
}
export const pairIndex = new HashIndex(HASH_BITS, false);
export const tripletIndex = new HashIndex(TRIPLET_HASH_BITS, true);
/** Note triplets of the melody, in the same hash layout as peak triplets. */
export const melodyIndex = new HashIndex(TRIPLET_HASH_BITS - 1, true); // (note triplets have no long bit)
export const workFrames = new Buf32(); // by slot; 0 = empty slot
let workCount: i32 = 0;

// Scratch the caller fills: pairs (hashes, frames), then peak triplets and note triplets (hashes, frames, extras).
const input = new Buf32();
let pairCount: i32 = 0;
let tripletCount: i32 = 0;
let melodyCount: i32 = 0;

export function index_input(pairs: i32, triplets: i32, melody: i32): usize {
  pairCount = pairs;
  tripletCount = triplets;
  melodyCount = melody;
  input.resize(pairs * 2 + triplets * 3 + melody * 3);
  return input.ptr;
}

/** Adds the features written at `index_input` under `slot`. Returns false if the slot is invalid or taken. */
export function index_add(slot: i32, frames: i32): bool {
  if (slot < 0 || slot >= MAX_SLOTS) return false;
  if (workFrames.length <= slot) {
    const old = workFrames.length;
    workFrames.resize(slot + 1);
    for (let i = old; i <= slot; i++) workFrames.setU32(i, 0);
  }
  if (workFrames.u32At(slot) != 0) return false;
  workFrames.setU32(slot, <u32>max(frames, 1));
  workCount++;
  const p = input.ptr;
  pairIndex.add(slot, p, p + (<usize>pairCount << 2), 0, pairCount);
  const t = p + (<usize>(pairCount * 2) << 2);
  tripletIndex.add(slot, t, t + (<usize>tripletCount << 2), t + (<usize>(tripletCount * 2) << 2), tripletCount);
  const m = t + (<usize>(tripletCount * 3) << 2);
  melodyIndex.add(slot, m, m + (<usize>melodyCount << 2), m + (<usize>(melodyCount * 2) << 2), melodyCount);
  work_notes_add(slot, m, m + (<usize>melodyCount << 2), m + (<usize>(melodyCount * 2) << 2), melodyCount);
  return true;
}

/** Removes every posting of `slot`. */
export function index_remove(slot: i32): bool {
  if (slot < 0 || slot >= workFrames.length || workFrames.u32At(slot) == 0) return false;
  workFrames.setU32(slot, 0);
  workCount--;
  pairIndex.remove(slot);
  tripletIndex.remove(slot);
  melodyIndex.remove(slot);
  work_notes_remove(slot);
  return true;
}

export function index_clear(): void {
  pairIndex.clear();
  tripletIndex.clear();
  melodyIndex.clear();
  work_notes_clear();
  workFrames.clear();
  workCount = 0;
}

export function index_build(): void {
  pairIndex.build();
  tripletIndex.build();
  melodyIndex.build();
}

/** After a snapshot was written into the buffers (match/snapshot.ts): checks them, and counts the works. */
export function index_restored(): bool {
  if (workFrames.length > MAX_SLOTS) return false;
  workCount = 0;
  for (let s = 0; s < workFrames.length; s++) if (workFrames.u32At(s) != 0) workCount++;
  return pairIndex.restored() && tripletIndex.restored() && melodyIndex.restored();
}

export function index_work_count(): i32 {
  return workCount;
}

export function index_posting_count(): i32 {
  return pairIndex.postingCount + tripletIndex.postingCount + melodyIndex.postingCount;
}

/** Bytes of linear memory the indexes hold. */
export function index_bytes(): f64 {
  return pairIndex.bytes + tripletIndex.bytes + melodyIndex.bytes;
}
