import wasmUrl from '../../build/core.wasm?url';
import { Core, coreBuildId } from '../core/wasm-core';

let cached: Promise<{ core: Core; id: string }> | undefined;

function loadOnce(): Promise<{ core: Core; id: string }> {
  cached ??= (async () => {
    const bytes = await (await fetch(wasmUrl)).arrayBuffer();
    const [core, id] = await Promise.all([Core.load(bytes), coreBuildId(bytes)]);
    return { core, id };
  })();
  return cached;
}

/** The WASM core for this worker, fetched and compiled once on first use. */
export async function getCore(): Promise<Core> {
  return (await loadOnce()).core;
}

/** The build of the core (see coreBuildId): what an index snapshot must have been made by. */
export async function getCoreId(): Promise<string> {
  return (await loadOnce()).id;
}
