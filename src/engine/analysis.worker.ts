import { expose } from 'comlink';
import { analyseAudio } from './ops/analyseAudio';
import { analyseMidi } from './ops/analyseMidi';
import { readMidiTracks } from './ops/readMidiTracks';

// expose() comes first and the core loads on first use: a top-level await
// before expose() makes Comlink calls hang.
const api = { analyseAudio, analyseMidi, readMidiTracks };
export type AnalysisApi = typeof api;
expose(api);
