// Growable raw buffers. The core keeps its buffers as module globals and hands
// pointers to JavaScript, which reads and writes them through views over
// `memory.buffer` (generated bindings would copy every array on every call).

/** A growable array of 32-bit values (u32 or f32) in linear memory. */
export class Buf32 {
  ptr: usize = 0;
  capacity: i32 = 0;
  length: i32 = 0;

  /** Makes room for `count` values; keeps the first `length`. Doubling keeps appends amortised O(1). */
  reserve(count: i32): void {
    if (count <= this.capacity) return;
    let cap = this.capacity < 16 ? 16 : this.capacity;
    while (cap < count) cap <<= 1;
    const next = heap.alloc(<usize>cap << 2);
    if (this.ptr != 0) {
      memory.copy(next, this.ptr, <usize>this.length << 2);
      heap.free(this.ptr);
    }
    this.ptr = next;
    this.capacity = cap;
  }

  /** Sets the length, growing as needed; new values are undefined. */
  resize(count: i32): void {
    this.reserve(count);
    this.length = count;
  }

  /** Sets the length to `count` with capacity for exactly that (for large buffers of known size); values undefined. */
  resizeExact(count: i32): void {
    if (count > this.capacity) {
      if (this.ptr != 0) heap.free(this.ptr);
      this.ptr = heap.alloc(<usize>count << 2);
      this.capacity = count;
    }
    this.length = count;
  }

  @inline pushU32(value: u32): void {
    if (this.length == this.capacity) this.reserve(this.length + 1);
    store<u32>(this.ptr + (<usize>this.length << 2), value);
    this.length++;
  }

  @inline pushF32(value: f32): void {
    if (this.length == this.capacity) this.reserve(this.length + 1);
    store<f32>(this.ptr + (<usize>this.length << 2), value);
    this.length++;
  }

  @inline u32At(i: i32): u32 { return load<u32>(this.ptr + (<usize>i << 2)); }
  @inline f32At(i: i32): f32 { return load<f32>(this.ptr + (<usize>i << 2)); }
  @inline setU32(i: i32, value: u32): void { store<u32>(this.ptr + (<usize>i << 2), value); }
  @inline setF32(i: i32, value: f32): void { store<f32>(this.ptr + (<usize>i << 2), value); }

  clear(): void { this.length = 0; }
}

/** A growable array of 64-bit unsigned values. */
export class Buf64 {
  ptr: usize = 0;
  capacity: i32 = 0;
  length: i32 = 0;

  reserve(count: i32): void {
    if (count <= this.capacity) return;
    let cap = this.capacity < 16 ? 16 : this.capacity;
    while (cap < count) cap <<= 1;
    const next = heap.alloc(<usize>cap << 3);
    if (this.ptr != 0) {
      memory.copy(next, this.ptr, <usize>this.length << 3);
      heap.free(this.ptr);
    }
    this.ptr = next;
    this.capacity = cap;
  }

  resize(count: i32): void {
    this.reserve(count);
    this.length = count;
  }

  @inline pushU64(value: u64): void {
    if (this.length == this.capacity) this.reserve(this.length + 1);
    store<u64>(this.ptr + (<usize>this.length << 3), value);
    this.length++;
  }

  @inline at(i: i32): u64 { return load<u64>(this.ptr + (<usize>i << 3)); }
  @inline set(i: i32, value: u64): void { store<u64>(this.ptr + (<usize>i << 3), value); }

  clear(): void { this.length = 0; }
}
