import type { Core } from './wasm-core';
import { attributeShares } from './attribution';
import { melodySegmentEndSec } from './melody-span';
import type { Fingerprint, MatchSegment, QueryResult } from './types';

/** What the matcher knows about the work in each index slot. */
export interface SlotWork {
  workId: string;
  title: string;
}

/**
 * Matches a query fingerprint with the core and turns the core's segments into
 * the result people see: named works, spans in seconds, shares of the track.
 * The same function serves the browser's matcher worker and the CLI.
 */
export function matchFingerprint(core: Core, query: Fingerprint, works: ReadonlyMap<number, SlotWork>): QueryResult {
  const raw = core.match(query);
  const matches: MatchSegment[] = [];
  for (const seg of raw) {
    const work = works.get(seg.slot);
    if (!work) continue;
    // A melody segment ends where its last matched note ends (see melody-span.ts), the work's span with it.
    const queryEndSec = seg.evidence === 'melody' ? melodySegmentEndSec(seg.queryEndSec, query.notes, query.durationSec) : seg.queryEndSec;
    const refEndSec = seg.refEndSec + (queryEndSec - seg.queryEndSec) / seg.timeRatio;
    matches.push({
      workId: work.workId,
      title: work.title,
      evidence: seg.evidence,
      ...(seg.melodyToo ? { melodyToo: true } : {}),
      confidence: seg.confidence,
      queryStartSec: round3(seg.queryStartSec),
      queryEndSec: round3(queryEndSec),
      refStartSec: round3(seg.refStartSec),
      refEndSec: round3(refEndSec),
      timeRatio: Math.round(seg.timeRatio * 10000) / 10000,
      pitchShiftSemitones: Math.round(seg.pitchShiftSemitones * 100) / 100,
      hits: seg.hits,
      expectedHits: seg.expectedHits,
    });
  }
  matches.sort((a, b) => a.queryStartSec - b.queryStartSec || b.confidence - a.confidence);
  const { shares, unattributedSec } = attributeShares(matches, query.durationSec);
  return {
    durationSec: query.durationSec,
    matches,
    shares,
    unattributedSec,
    searchedWorks: core.indexWorkCount,
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
