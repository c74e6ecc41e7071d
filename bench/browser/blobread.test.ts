import { it } from 'vitest';
import { openDB } from 'idb';

const MB = 2 ** 20;
const PIECE = 32 * MB;
async function readStream(blob: Blob, mem: Uint8Array, at: number) {
  const reader = blob.stream().getReader({ mode: 'byob' });
  let buffer = new ArrayBuffer(PIECE);
  let off = 0;
  while (off < blob.size) {
    const want = Math.min(PIECE, blob.size - off);
    for (let filled = 0; filled < want;) {
      const { value, done } = await reader.read(new Uint8Array(buffer, filled, want - filled));
      if (done || !value) throw new Error('early');
      buffer = value.buffer as ArrayBuffer;
      filled += value.byteLength;
    }
    mem.set(new Uint8Array(buffer, 0, want), at + off);
    off += want;
  }
}
it('blob read scaling', async () => {
  const out: string[] = [];
  for (const split of [1, 8]) for (const mb of [400, 443, 503, 560, 400]) {
    const db = await openDB('blobexp-' + mb + '-' + split, 1, { upgrade(d) { d.createObjectStore('s'); } });
    const parts: Blob[] = [];
    const per = Math.ceil(mb / split);
    for (let s = 0; s < split; s++) {
      const chunk = new Uint32Array(per * MB / 4);
      for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 2654435761) >>> 0;
      parts.push(new Blob([chunk]));
    }
    await db.put('s', parts, 'k');
    db.close();
    await new Promise((r) => setTimeout(r, 3000));
    const times: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536 });
      const t0 = performance.now();
      const db2 = await openDB('blobexp-' + mb + '-' + split, 1);
      const got = (await db2.get('s', 'k')) as Blob[];
      const total = got.reduce((s, b) => s + b.size, 0);
      memory.grow(Math.ceil((total + 16 * 65536) / 65536));
      const mem = new Uint8Array(memory.buffer);
      let at = 0;
      for (const b of got) { await readStream(b, mem, at); at += b.size; }
      times.push(Math.round(performance.now() - t0));
      db2.close();
      await new Promise((r) => setTimeout(r, 1500));
    }
    out.push(`${mb} MB in ${split} blob(s): ${times.join(', ')} ms`);
    console.log(out[out.length - 1]);
  }
  console.log(out.join('\n'));
}, 3600_000);
