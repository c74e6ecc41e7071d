import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Core } from '../core/wasm-core';

const WASM_PATH = fileURLToPath(new URL('../../build/core.wasm', import.meta.url));

let cached: Promise<Core> | undefined;

/** The WASM core for Node, loaded once. */
export function loadCore(): Promise<Core> {
  cached ??= readFile(WASM_PATH).then(
    (bytes) => Core.load(bytes),
    () => {
      throw new Error(`The analysis core is not built (${WASM_PATH} is missing). Run \`npm run build:wasm\`.`);
    },
  );
  return cached;
}
