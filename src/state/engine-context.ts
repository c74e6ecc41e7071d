import { getContext, setContext } from 'svelte';
import type { CatalogState } from './catalog.svelte';
import type { CheckState } from './check.svelte';

const KEY = Symbol('tunetrace');

export interface AppContext {
  catalog: CatalogState;
  check: CheckState;
}

export function setApp(app: AppContext): void {
  setContext(KEY, app);
}

export function getApp(): AppContext {
  return getContext<AppContext>(KEY);
}
