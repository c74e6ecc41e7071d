import wasmUrl from '../../build/core.wasm?url';
import { Core } from '../core/wasm-core';

let cached: Promise<Core> | undefined;

/** The WASM core for this worker, fetched and compiled once on first use. */
export function getCore(): Promise<Core> {
  cached ??= Core.load(fetch(wasmUrl));
  return cached;
}
