import { Buf32 } from './mem';

const buffer = new Buf32();

/** A scratch block of `count` 32-bit words for callers (tests) that need memory of their own. */
export function scratch(count: i32): usize {
  buffer.resize(count);
  return buffer.ptr;
}
