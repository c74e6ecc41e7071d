import { getContext, setContext } from 'svelte';
import type { CatalogState } from './catalog.svelte';
import type { CheckState } from './check.svelte';
import type { HistoryState } from './history.svelte';

const KEY = Symbol('tunetrace');

export interface AppContext {
  catalog: CatalogState;
  check: CheckState;
  /** Past checks; absent where no history is kept. */
  history?: HistoryState;
}

export function setApp(app: AppContext): void {
  setContext(KEY, app);
}

export function getApp(): AppContext {
  return getContext<AppContext>(KEY);
}
