import { Buf32 } from '../mem';
import { HASH_BITS } from '../fingerprint/hashes';
import { TRIPLET_HASH_BITS } from '../fingerprint/triplets';
import { work_notes_add, work_notes_remove, work_notes_clear } from './note-check';

// The inverted indexes: hash → postings (work slot, frame[, extra]) in
// compressed-row form: postings of hash h are rows[offsets[h] … offsets[h+1]).
// A posting packs the work slot in the top 14 bits and the frame in the low 18
// bits (2^18 frames × 8 ms = 35 min per work; 16,384 works). Triplet postings
// carry one more word (pitch and time spans, see fingerprint/triplets.ts).
// Works are added as raw entries; the rows are rebuilt by a counting sort
// before the next query (O(entries + 2^bits)).

export const SLOT_BITS: i32 = 14;
export const FRAME_BITS: i32 = 18;
export const MAX_SLOTS: i32 = 1 << SLOT_BITS;
export const MAX_FRAMES: i32 = 1 << FRAME_BITS;

export class HashIndex {
  readonly hashCount: i32;
  readonly entryHashes: Buf32 = new Buf32();
  readonly entryPostings: Buf32 = new Buf32();
  readonly entryExtras: Buf32 = new Buf32();
  readonly offsets: Buf32 = new Buf32();
  readonly postings: Buf32 = new Buf32();
  readonly extras: Buf32 = new Buf32();
  dirty: bool = true;

  constructor(hashBits: i32, readonly withExtra: bool) {
    this.hashCount = 1 << hashBits;
  }

  /** Appends `count` entries: hashes at `hashes`, frames at `frames`, extras at `extras` (if used). */
  add(slot: i32, hashes: usize, frames: usize, extras: usize, count: i32): void {
    this.entryHashes.reserve(this.entryHashes.length + count);
    this.entryPostings.reserve(this.entryPostings.length + count);
    if (this.withExtra) this.entryExtras.reserve(this.entryExtras.length + count);
    const slotBits = <u32>slot << FRAME_BITS;
    for (let i = 0; i < count; i++) {
      const frame = load<u32>(frames + (<usize>i << 2));
      const hash = load<u32>(hashes + (<usize>i << 2));
      if (frame >= <u32>MAX_FRAMES || hash >= <u32>this.hashCount) continue;
      this.entryHashes.pushU32(hash);
      this.entryPostings.pushU32(slotBits | frame);
      if (this.withExtra) this.entryExtras.pushU32(load<u32>(extras + (<usize>i << 2)));
    }
    this.dirty = true;
  }

  remove(slot: i32): void {
    let kept = 0;
    const n = this.entryHashes.length;
    for (let i = 0; i < n; i++) {
      const p = this.entryPostings.u32At(i);
      if (<i32>(p >> FRAME_BITS) == slot) continue;
      this.entryHashes.setU32(kept, this.entryHashes.u32At(i));
      this.entryPostings.setU32(kept, p);
      if (this.withExtra) this.entryExtras.setU32(kept, this.entryExtras.u32At(i));
      kept++;
    }
    this.entryHashes.length = kept;
    this.entryPostings.length = kept;
    if (this.withExtra) this.entryExtras.length = kept;
    this.dirty = true;
  }

  clear(): void {
    this.entryHashes.clear();
    this.entryPostings.clear();
    this.entryExtras.clear();
    this.dirty = true;
  }

  build(): void {
    if (!this.dirty) return;
    const H = this.hashCount;
    const offsets = this.offsets;
    offsets.resize(H + 1);
    memory.fill(offsets.ptr, 0, <usize>(H + 1) << 2);
    const n = this.entryHashes.length;
    for (let i = 0; i < n; i++) {
      const h = <i32>this.entryHashes.u32At(i) + 1;
      offsets.setU32(h, offsets.u32At(h) + 1);
    }
    for (let h = 1; h <= H; h++) offsets.setU32(h, offsets.u32At(h) + offsets.u32At(h - 1));
    this.postings.resize(n);
    if (this.withExtra) this.extras.resize(n);
    // Fill using offsets[h] as a cursor, then shift back (each cursor ends at the next row's start).
    for (let i = 0; i < n; i++) {
      const h = <i32>this.entryHashes.u32At(i);
      const at = <i32>offsets.u32At(h);
      this.postings.setU32(at, this.entryPostings.u32At(i));
      if (this.withExtra) this.extras.setU32(at, this.entryExtras.u32At(i));
      offsets.setU32(h, <u32>at + 1);
    }
    for (let h = H; h > 0; h--) offsets.setU32(h, offsets.u32At(h - 1));
    offsets.setU32(0, 0);
    this.dirty = false;
  }

  @inline rowStart(h: i32): i32 { return <i32>this.offsets.u32At(h); }
  @inline rowEnd(h: i32): i32 { return <i32>this.offsets.u32At(h + 1); }

  get bytes(): f64 {
    return <f64>(this.entryHashes.capacity + this.entryPostings.capacity + this.entryExtras.capacity +
      this.postings.capacity + this.extras.capacity + this.offsets.capacity) * 4.0;
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

export function index_work_count(): i32 {
  return workCount;
}

export function index_posting_count(): i32 {
  return pairIndex.entryHashes.length + tripletIndex.entryHashes.length + melodyIndex.entryHashes.length;
}

/** Bytes of linear memory the indexes hold. */
export function index_bytes(): f64 {
  return pairIndex.bytes + tripletIndex.bytes + melodyIndex.bytes;
}
