import { Buf32 } from '../mem';

// LSD radix sorts over raw memory. Keys only use their low `keyBits`, so the
// number of passes follows the key width.

const counts = new Buf32();

function sortPass64(src: usize, dst: usize, n: i32, shift: u64, digitBits: i32): void {
  const buckets = 1 << digitBits;
  const mask: u64 = <u64>(buckets - 1);
  counts.resize(buckets);
  memory.fill(counts.ptr, 0, <usize>buckets << 2);
  for (let i = 0; i < n; i++) {
    const d = <i32>((load<u64>(src + (<usize>i << 3)) >> shift) & mask);
    counts.setU32(d, counts.u32At(d) + 1);
  }
  let sum: u32 = 0;
  for (let d = 0; d < buckets; d++) {
    const c = counts.u32At(d);
    counts.setU32(d, sum);
    sum += c;
  }
  for (let i = 0; i < n; i++) {
    const v = load<u64>(src + (<usize>i << 3));
    const d = <i32>((v >> shift) & mask);
    const at = counts.u32At(d);
    store<u64>(dst + (<usize>at << 3), v);
    counts.setU32(d, at + 1);
  }
}

/**
 * Sorts n u64 keys at `data` using `scratch` (n values) by their bits fromBit … keyBits − 1 (keys equal
 * there keep their order). Returns the pointer holding the result.
 */
export function radix_sort_u64(data: usize, scratch: usize, n: i32, keyBits: i32, fromBit: i32 = 0): usize {
  // As few passes of at most 13 bits (a 32 kB count table) as the width needs, the bits spread evenly.
  const bits = keyBits - fromBit;
  const passes = (bits + 12) / 13;
  const digitBits = passes > 0 ? (bits + passes - 1) / passes : 1;
  let src = data;
  let dst = scratch;
  for (let shift = fromBit; shift < keyBits; shift += digitBits) {
    sortPass64(src, dst, n, <u64>shift, digitBits);
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/** Shell sort of n values of type T at `data`, in place (for the small gathers where a radix pass costs more). */
function shellSort<T>(data: usize, n: i32): void {
  const size = <usize>sizeof<T>();
  let gap = 1;
  while (gap < n / 3) gap = gap * 3 + 1;
  for (; gap >= 1; gap = (gap - 1) / 3) {
    for (let i = gap; i < n; i++) {
      const v = load<T>(data + <usize>i * size);
      let j = i;
      while (j >= gap) {
        const u = load<T>(data + <usize>(j - gap) * size);
        if (u <= v) break;
        store<T>(data + <usize>j * size, u);
        j -= gap;
      }
      store<T>(data + <usize>j * size, v);
    }
    if (gap == 1) break;
  }
}

/** Sorts n u32 values in place. */
export function sort_u32(data: usize, n: i32): void {
  shellSort<u32>(data, n);
}

/** Sorts n u64 keys at `data`; in place (shell sort) when small, else by radix through `scratch`. Returns the result's pointer. */
export function sort_u64(data: usize, scratch: usize, n: i32, keyBits: i32): usize {
  if (n >= 4096) return radix_sort_u64(data, scratch, n, keyBits);
  shellSort<u64>(data, n);
  return data;
}
