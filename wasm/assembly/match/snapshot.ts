import { Buf32 } from '../mem';
import { pairIndex, tripletIndex, melodyIndex, workFrames, index_build, index_clear, index_restored } from './index';
import { work_notes_buffer, work_notes_restored } from './note-check';

// A snapshot of the built index: every buffer a match reads, as 32-bit words, so that a catalog can be
// loaded by copying them back instead of adding each work's features and building the rows again. The
// JavaScript side stores the sections one after the other and knows nothing of what they hold; a
// snapshot only ever goes back into the same build of the core (the store keys it by a digest of the
// .wasm), so the layout here can change freely. Sections:
//   0 workFrames; 1–2 pair offsets, postings; 3–5 triplet offsets, postings, extras;
//   6–8 melody offsets, postings, extras; 9–12 the works' notes (starts, counts, times, pitches).

const SECTIONS: i32 = 13;

function section(i: i32): Buf32 {
  switch (i) {
    case 0: return workFrames;
    case 1: return pairIndex.offsets;
    case 2: return pairIndex.postings;
    case 3: return tripletIndex.offsets;
    case 4: return tripletIndex.postings;
    case 5: return tripletIndex.extras;
    case 6: return melodyIndex.offsets;
    case 7: return melodyIndex.postings;
    case 8: return melodyIndex.extras;
    default: return work_notes_buffer(i - 9);
  }
}

/** Builds the index (a snapshot holds no pending entries) and returns the number of sections. */
export function index_snapshot_begin(): i32 {
  index_build();
  return SECTIONS;
}

export function index_section_ptr(i: i32): usize {
  return i >= 0 && i < SECTIONS ? section(i).ptr : 0;
}

/** Words in section `i`. */
export function index_section_length(i: i32): i32 {
  return i >= 0 && i < SECTIONS ? section(i).length : 0;
}

/** Empties the index before its sections are written back. */
export function index_restore_begin(): i32 {
  index_clear();
  return SECTIONS;
}

/** Sizes section `i` to `words` (exactly, as a load sizes the rows) and returns where to write them. */
export function index_restore_section(i: i32, words: i32): usize {
  if (i < 0 || i >= SECTIONS || words < 0) return 0;
  const buf = section(i);
  buf.resizeExact(words);
  return buf.ptr;
}

/** Checks the sections written and makes them the index; an invalid snapshot leaves an empty index and returns false. */
export function index_restore_end(): bool {
  if (index_restored() && work_notes_restored()) return true;
  index_clear();
  return false;
}
