import { expose } from 'comlink';
import { analyseAudio } from './ops/analyseAudio';

// expose() comes first and the core loads on first use: a top-level await
// before expose() makes Comlink calls hang.
const api = { analyseAudio };
export type AnalysisApi = typeof api;
expose(api);
