import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { containerName, sniffC2paFormat, SNIFF_BYTES } from './format';
import { summariseManifestStore } from './summarise';
import { describeC2paError } from './describe';
import type { ProvenanceRead } from './types';

// Reads C2PA content credentials in Node (the CLI) with the engine of @contentauth/c2pa-web:
// @contentauth/c2pa-wasm, the very c2pa-rs build (same version, same WASM) that c2pa-web runs in
// its worker. c2pa-web itself needs a browser (a Web Worker, and FileReaderSync inside it), so the
// CLI calls the WASM directly on the main thread, with the one browser API it uses, reading a
// Blob synchronously, supplied for Blobs made here from bytes already in memory.

type C2paWasm = typeof import('@contentauth/c2pa-wasm');

/** The same limits as the app: nothing is fetched (no remote manifest, no OCSP, no host at all). */
const OFFLINE_SETTINGS = JSON.stringify({
  verify: { verify_trust: true, verify_after_reading: true, remote_manifest_fetch: false, ocsp_fetch: false },
  core: { decode_identity_assertions: false, allowed_network_hosts: [] },
});

/** A Blob whose bytes can be read synchronously, as c2pa-rs reads its input through FileReaderSync. */
class BytesBlob extends Blob {
  constructor(readonly data: Uint8Array) {
    super([data as Uint8Array<ArrayBuffer>]);
  }
  override slice(start = 0, end = this.data.byteLength): BytesBlob {
    return new BytesBlob(this.data.subarray(start, end));
  }
}

class BytesFileReaderSync {
  readAsArrayBuffer(blob: Blob): ArrayBuffer {
    if (!(blob instanceof BytesBlob)) throw new TypeError('only Blobs made by the CLI can be read synchronously');
    const { data } = blob;
    return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  }
}

let wasm: Promise<C2paWasm> | null = null;

function loadWasm(): Promise<C2paWasm> {
  wasm ??= (async () => {
    const module = await import('@contentauth/c2pa-wasm');
    const path = createRequire(import.meta.url).resolve('@contentauth/c2pa-wasm/c2pa.wasm');
    module.initSync({ module: await WebAssembly.compile(await readFile(path)) });
    const g = globalThis as { FileReaderSync?: unknown };
    g.FileReaderSync ??= BytesFileReaderSync;
    return module;
  })();
  return wasm;
}

/** Reads the credentials of the file at `path`; never rejects (a read error is { status: 'error' }). */
export async function readProvenanceFile(path: string): Promise<ProvenanceRead> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    return { status: 'error', message: `The file could not be read for its content credentials: ${(e as Error).message}.` };
  }
  return readProvenanceBytes(bytes, basename(path));
}

/** Reads the credentials of a file's bytes; never rejects. */
export async function readProvenanceBytes(bytes: Uint8Array, fileName: string): Promise<ProvenanceRead> {
  try {
    const format = sniffC2paFormat(bytes.subarray(0, SNIFF_BYTES));
    if (!format) return { status: 'none', reason: 'unsupported-format', format: containerName(bytes.subarray(0, SNIFF_BYTES), fileName) };
    const { WasmReader } = await loadWasm();
    let reader: Awaited<ReturnType<C2paWasm['WasmReader']['fromBlob']>>;
    try {
      reader = await WasmReader.fromBlob(format, new BytesBlob(bytes), OFFLINE_SETTINGS);
    } catch (e) {
      // As c2pa-web does: no JUMBF (no manifest store) in the file is “no credentials”, not an error.
      if (String((e as Error)?.message ?? e) === 'C2pa(JumbfNotFound)') return { status: 'none', reason: 'no-manifest', format };
      throw e;
    }
    try {
      const declared = summariseManifestStore(reader.manifestStore());
      if (!declared) return { status: 'error', message: 'The file carries a C2PA manifest store without an active manifest, so there is nothing it declares.' };
      return { status: 'declared', declared };
    } finally {
      reader.free();
    }
  } catch (e) {
    return { status: 'error', message: `The content credentials (C2PA) of this file could not be read: ${describeC2paError(e)}.` };
  }
}
