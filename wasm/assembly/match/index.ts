import { Buf32 } from '../mem';
import { HASH_BITS } from '../fingerprint/hashes';

// The inverted index: hash → postings (work slot, frame), in compressed-row
// form: postings of hash h are postings[offsets[h] … offsets[h+1]). A posting
// packs the work slot in the top 14 bits and the frame in the low 18 bits
// (2^18 frames × 8 ms = 35 min per work; 16,384 works).
// Works are added as raw (hash, posting) entries; the rows are rebuilt by a
// counting sort before the next query (O(entries + 2^21)).

export const SLOT_BITS: i32 = 14;
export const FRAME_BITS: i32 = 18;
export const MAX_SLOTS: i32 = 1 << SLOT_BITS;
export const MAX_FRAMES: i32 = 1 << FRAME_BITS;
const HASH_COUNT: i32 = 1 << HASH_BITS;

const entryHashes = new Buf32();
const entryPostings = new Buf32();
export const offsets = new Buf32(); // HASH_COUNT + 1
export const postings = new Buf32();
export const workFrames = new Buf32(); // by slot; 0 = empty slot
let dirty = true;
let workCount: i32 = 0;

const input = new Buf32(); // scratch the caller fills: hashes then frames

export function index_input(count: i32): usize {
  input.resize(count * 2);
  return input.ptr;
}

/** Adds the `count` hashes written at `index_input` under `slot`. Returns false if the slot is invalid or taken. */
export function index_add(slot: i32, count: i32, frames: i32): bool {
  if (slot < 0 || slot >= MAX_SLOTS) return false;
  if (workFrames.length <= slot) {
    const old = workFrames.length;
    workFrames.resize(slot + 1);
    for (let i = old; i <= slot; i++) workFrames.setU32(i, 0);
  }
  if (workFrames.u32At(slot) != 0) return false;
  workFrames.setU32(slot, <u32>max(frames, 1));
  workCount++;
  entryHashes.reserve(entryHashes.length + count);
  entryPostings.reserve(entryPostings.length + count);
  const slotBits = <u32>slot << FRAME_BITS;
  for (let i = 0; i < count; i++) {
    const frame = input.u32At(count + i);
    if (frame >= <u32>MAX_FRAMES) continue;
    entryHashes.pushU32(input.u32At(i));
    entryPostings.pushU32(slotBits | frame);
  }
  dirty = true;
  return true;
}

/** Removes every posting of `slot`. */
export function index_remove(slot: i32): bool {
  if (slot < 0 || slot >= workFrames.length || workFrames.u32At(slot) == 0) return false;
  workFrames.setU32(slot, 0);
  workCount--;
  let kept = 0;
  const n = entryHashes.length;
  for (let i = 0; i < n; i++) {
    const p = entryPostings.u32At(i);
    if (<i32>(p >> FRAME_BITS) == slot) continue;
    entryHashes.setU32(kept, entryHashes.u32At(i));
    entryPostings.setU32(kept, p);
    kept++;
  }
  entryHashes.length = kept;
  entryPostings.length = kept;
  dirty = true;
  return true;
}

export function index_clear(): void {
  entryHashes.clear();
  entryPostings.clear();
  workFrames.clear();
  workCount = 0;
  dirty = true;
}

export function index_build(): void {
  if (!dirty) return;
  offsets.resize(HASH_COUNT + 1);
  memory.fill(offsets.ptr, 0, <usize>(HASH_COUNT + 1) << 2);
  const n = entryHashes.length;
  for (let i = 0; i < n; i++) {
    const h = <i32>entryHashes.u32At(i) + 1;
    offsets.setU32(h, offsets.u32At(h) + 1);
  }
  for (let h = 1; h <= HASH_COUNT; h++) offsets.setU32(h, offsets.u32At(h) + offsets.u32At(h - 1));
  postings.resize(n);
  // Fill using offsets[h] as a cursor, then shift back (cursor ends at the next row's start).
  for (let i = 0; i < n; i++) {
    const h = <i32>entryHashes.u32At(i);
    const at = offsets.u32At(h);
    postings.setU32(<i32>at, entryPostings.u32At(i));
    offsets.setU32(h, at + 1);
  }
  for (let h = HASH_COUNT; h > 0; h--) offsets.setU32(h, offsets.u32At(h - 1));
  offsets.setU32(0, 0);
  dirty = false;
}

export function index_work_count(): i32 {
  return workCount;
}

export function index_posting_count(): i32 {
  return entryHashes.length;
}

/** Bytes of linear memory the index holds (entries, rows and offsets). */
export function index_bytes(): f64 {
  return <f64>(entryHashes.capacity + entryPostings.capacity + postings.capacity + offsets.capacity) * 4.0;
}
