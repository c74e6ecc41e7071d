import { Buf32 } from '../mem';
import { HASH_BITS } from '../fingerprint/hashes';
import { TRIPLET_HASH_BITS } from '../fingerprint/triplets';

// The inverted indexes: hash → postings (work slot, frame[, extra]) in
// compressed-row form: postings of hash h are rows[offsets[h] … offsets[h+1]).
// A posting packs the work slot in the top 14 bits and the frame in the low 18
// bits (2^18 frames × 8 ms = 35 min per work; 16,384 works). Triplet postings
// carry one more word (pitch and time spans, see fingerprint/triplets.ts).
//
// The rows are the only copy of the postings: a work added goes to a pending
// block of its own (hashes, postings[, extras]) and its row counts are tallied
// as it comes; the next build merges the pending blocks into the rows and frees
// them. Each row keeps its postings in add order (older works first), as the
// triplet vote's tie-breaks depend on hit order. Linear memory never shrinks,
// so what counts is the peak: pending blocks are exact-sized, and the rows are
// sized exactly when built from nothing (a catalog load).

export const SLOT_BITS: i32 = 14;
export const FRAME_BITS: i32 = 18;
export const MAX_SLOTS: i32 = 1 << SLOT_BITS;
export const MAX_FRAMES: i32 = 1 << FRAME_BITS;

/** Headroom when the built rows grow for works added later, so that small adds rarely move them. */
const GROWTH_SHIFT: i32 = 3; // 1/8

export class HashIndex {
  readonly hashCount: i32;
  readonly offsets: Buf32 = new Buf32();
  readonly postings: Buf32 = new Buf32();
  readonly extras: Buf32 = new Buf32();
  /** Pending works, in add order: their block (hashes, postings[, extras]), entry count and slot. */
  readonly pendBlocks: Buf32 = new Buf32();
  readonly pendCounts: Buf32 = new Buf32();
  readonly pendSlots: Buf32 = new Buf32();
  /** Pending entries per hash (the build's row cursors); allocated while works are pending. */
  readonly pendRowCounts: Buf32 = new Buf32();
  pendTotal: i32 = 0;
  dirty: bool = true;

  constructor(hashBits: i32, readonly withExtra: bool) {
    this.hashCount = 1 << hashBits;
  }

  @inline get words(): i32 { return this.withExtra ? 3 : 2; }

  /** Adds `count` entries of `slot`: hashes at `hashes`, frames at `frames`, extras at `extras` (if used). */
  add(slot: i32, hashes: usize, frames: usize, extras: usize, count: i32): void {
    this.dirty = true;
    if (count <= 0) return;
    const H = this.hashCount;
    const rowCounts = this.pendRowCounts;
    if (rowCounts.length == 0) {
      rowCounts.resizeExact(H);
      memory.fill(rowCounts.ptr, 0, <usize>H << 2);
    }
    // Entries interleaved (hash, posting[, extra]): one exact-sized block per work.
    const words = <usize>this.words;
    const blockBytes = <usize>count * words << 2;
    const block = heap.alloc(blockBytes);
    const slotBits = <u32>slot << FRAME_BITS;
    let at = block;
    for (let i = 0; i < count; i++) {
      const frame = load<u32>(frames + (<usize>i << 2));
      const hash = load<u32>(hashes + (<usize>i << 2));
      if (frame >= <u32>MAX_FRAMES || hash >= <u32>H) continue;
      store<u32>(at, hash);
      store<u32>(at, slotBits | frame, 4);
      if (this.withExtra) store<u32>(at, load<u32>(extras + (<usize>i << 2)), 8);
      rowCounts.setU32(<i32>hash, rowCounts.u32At(<i32>hash) + 1);
      at += words << 2;
    }
    const kept = <i32>((at - block) / (words << 2));
    this.pendBlocks.pushU32(<u32>block);
    this.pendCounts.pushU32(<u32>kept);
    this.pendSlots.pushU32(<u32>slot);
    this.pendTotal += kept;
  }

  /** Drops every posting of `slot`: its pending block, or its postings in the rows (compacted in place). */
  remove(slot: i32): void {
    for (let w = 0; w < this.pendSlots.length; w++) {
      if (<i32>this.pendSlots.u32At(w) != slot) continue;
      const block = <usize>this.pendBlocks.u32At(w);
      const kept = <i32>this.pendCounts.u32At(w);
      const stride = <usize>this.words << 2;
      for (let i = 0; i < kept; i++) {
        const h = <i32>load<u32>(block + <usize>i * stride);
        this.pendRowCounts.setU32(h, this.pendRowCounts.u32At(h) - 1);
      }
      this.pendTotal -= kept;
      heap.free(block);
      for (let v = w + 1; v < this.pendSlots.length; v++) {
        this.pendBlocks.setU32(v - 1, this.pendBlocks.u32At(v));
        this.pendCounts.setU32(v - 1, this.pendCounts.u32At(v));
        this.pendSlots.setU32(v - 1, this.pendSlots.u32At(v));
      }
      this.pendBlocks.length--;
      this.pendCounts.length--;
      this.pendSlots.length--;
      return;
    }
    // Not pending: compact the rows (a slot is either pending or built, never both).
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
    if (this.pendRowCounts.length > 0) memory.fill(this.pendRowCounts.ptr, 0, <usize>this.hashCount << 2);
    this.postings.clear();
    this.extras.clear();
    this.offsets.clear();
    this.dirty = true;
  }

  /** Merges the pending works into the rows, then frees their blocks. */
  build(): void {
    if (!this.dirty) return;
    const H = this.hashCount;
    const offsets = this.offsets;
    if (offsets.length == 0) {
      offsets.resizeExact(H + 1);
      memory.fill(offsets.ptr, 0, <usize>(H + 1) << 2);
    }
    const added = this.pendTotal;
    if (added > 0) {
      const old = this.postings.length;
      const n = old + added;
      // Exact from nothing (a load); with headroom when a built index grows.
      const cap = old == 0 ? n : n + (n >> GROWTH_SHIFT);
      this.mergeRows(this.postings, n, cap);
      if (this.withExtra) this.mergeRows(this.extras, n, cap);
      this.placePending();
    }
    this.dropPending();
    this.dirty = false;
  }

  /**
   * Moves each built row of `rows` to its start in the merged layout (old start + pending
   * entries of the rows before it): in place from the last row back if the capacity suffices,
   * else into a new block of `cap` words. Leaves `offsets` untouched (placePending updates it).
   */
  private mergeRows(rows: Buf32, n: i32, cap: i32): void {
    const H = this.hashCount;
    const offsets = this.offsets;
    const rowCounts = this.pendRowCounts;
    const src = rows.ptr;
    const moved = rows.capacity < n;
    const dst = moved ? heap.alloc(<usize>cap << 2) : src;
    let shift = this.pendTotal;
    let end = offsets.u32At(H);
    for (let h = H - 1; h >= 0; h--) {
      shift -= <i32>rowCounts.u32At(h);
      const start = offsets.u32At(h);
      if (end > start && (moved || shift != 0)) {
        memory.copy(dst + (<usize>(<i32>start + shift) << 2), src + (<usize>start << 2), <usize>(end - start) << 2);
      }
      end = start;
    }
    if (moved) {
      if (src != 0) heap.free(src);
      rows.ptr = dst;
      rows.capacity = cap;
    }
    rows.length = n;
  }

  /** Sets the merged offsets and writes the pending entries after each row's built postings, in add order. */
  private placePending(): void {
    const H = this.hashCount;
    const offsets = this.offsets;
    const cursors = this.pendRowCounts; // count → cursor (where the row's next pending entry goes)
    let shift: u32 = 0;
    let start = offsets.u32At(0);
    for (let h = 0; h < H; h++) {
      const end = offsets.u32At(h + 1);
      const pending = cursors.u32At(h);
      offsets.setU32(h, start + shift);
      cursors.setU32(h, end + shift);
      shift += pending;
      start = end;
    }
    offsets.setU32(H, start + shift);
    const postings = this.postings.ptr;
    const extras = this.extras.ptr;
    const withExtra = this.withExtra;
    const stride = <usize>this.words << 2;
    for (let w = 0; w < this.pendBlocks.length; w++) {
      let e = <usize>this.pendBlocks.u32At(w);
      const last = e + <usize>this.pendCounts.u32At(w) * stride;
      for (; e < last; e += stride) {
        const h = <i32>load<u32>(e);
        const at = cursors.u32At(h);
        cursors.setU32(h, at + 1);
        store<u32>(postings + (<usize>at << 2), load<u32>(e, 4));
        if (withExtra) store<u32>(extras + (<usize>at << 2), load<u32>(e, 8));
      }
    }
    memory.fill(cursors.ptr, 0, <usize>H << 2);
  }

  /** Frees the pending blocks (after a merge, or on clear). */
  private dropPending(): void {
    for (let w = 0; w < this.pendBlocks.length; w++) heap.free(<usize>this.pendBlocks.u32At(w));
    this.pendBlocks.clear();
    this.pendCounts.clear();
    this.pendSlots.clear();
    this.pendTotal = 0;
  }

  @inline rowStart(h: i32): i32 { return <i32>this.offsets.u32At(h); }
  @inline rowEnd(h: i32): i32 { return <i32>this.offsets.u32At(h + 1); }

  get postingCount(): i32 { return this.postings.length + this.pendTotal; }

  get bytes(): f64 {
    return <f64>(this.postings.capacity + this.extras.capacity + this.offsets.capacity + this.pendRowCounts.capacity +
      this.pendTotal * this.words) * 4.0;
  }
}
export const pairIndex = new HashIndex(HASH_BITS, false);
export const tripletIndex = new HashIndex(TRIPLET_HASH_BITS, true);
/** Note triplets of the melody, in the same hash layout as peak triplets. */
export const melodyIndex = new HashIndex(TRIPLET_HASH_BITS, true);
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
  return true;
}

export function index_clear(): void {
  pairIndex.clear();
  tripletIndex.clear();
  melodyIndex.clear();
  workFrames.clear();
  workCount = 0;
}

export function index_build(): void {
  pairIndex.build();
  tripletIndex.build();
  melodyIndex.build();
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
