import { expose } from 'comlink';
import { loadIndex, addToIndex, removeFromIndex, renameInIndex, matchQuery, indexStats } from './ops/matcher';

// The matcher worker owns the in-memory index, rebuilt from IndexedDB when it starts.
const api = { loadIndex, addToIndex, removeFromIndex, renameInIndex, matchQuery, indexStats };
export type MatcherApi = typeof api;
expose(api);
