import type { MatchSegment, WorkShare } from './types';

// Shares of a query's timeline. Each elementary interval (between consecutive
// segment boundaries) goes to the works whose segments cover it; where works
// overlap, the interval is split in proportion to their confidence, and
// recording evidence outranks melody evidence for the same work.

export interface Attribution {
  shares: WorkShare[];
  unattributedSec: number;
}

export function attributeShares(segments: MatchSegment[], durationSec: number): Attribution {
  if (durationSec <= 0) return { shares: [], unattributedSec: 0 };
  const clipped = segments
    .map((s) => ({ s, start: Math.max(0, s.queryStartSec), end: Math.min(durationSec, s.queryEndSec) }))
    .filter((c) => c.end > c.start);
  const bounds = [...new Set([0, durationSec, ...clipped.flatMap((c) => [c.start, c.end])])].sort((a, b) => a - b);
  const seconds = new Map<string, number>();
  const titles = new Map<string, string>();
  let attributed = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const from = bounds[i];
    const to = bounds[i + 1];
    const mid = (from + to) / 2;
    const covering = clipped.filter((c) => c.start <= mid && mid < c.end);
    if (covering.length === 0) continue;
    const hasRecording = covering.some((c) => c.s.evidence === 'recording');
    // One weight per work: its strongest covering segment of the winning evidence kind.
    const weights = new Map<string, number>();
    for (const { s } of covering) {
      if (hasRecording && s.evidence !== 'recording') continue;
      weights.set(s.workId, Math.max(weights.get(s.workId) ?? 0, Math.max(s.confidence, 1e-9)));
      titles.set(s.workId, s.title);
    }
    const total = [...weights.values()].reduce((a, b) => a + b, 0);
    for (const [workId, w] of weights) seconds.set(workId, (seconds.get(workId) ?? 0) + ((to - from) * w) / total);
    attributed += to - from;
  }
  const shares = [...seconds]
    .map(([workId, s]) => ({ workId, title: titles.get(workId) ?? workId, seconds: s, proportion: s / durationSec }))
    .sort((a, b) => b.seconds - a.seconds);
  return { shares, unattributedSec: Math.max(0, durationSec - attributed) };
}
