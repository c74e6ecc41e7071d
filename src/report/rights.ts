import type { MatchSegment, WorkShare } from '../core/types';
import type { ClearanceStatus, CreatorRole, WorkMetadata } from '../core/metadata';

// From a check's shares and the catalog's rights metadata: each party's share
// of the track, and whether the track uses only works cleared for AI use.

export interface PartyWorkShare {
  workId: string;
  title: string;
  roles: CreatorRole[];
  /** The party's split of this work, percent (summed over its roles). */
  splitPercent: number;
  /** Work's share of the track × split, 0..1 of the track. */
  proportion: number;
}

export interface PartyShare {
  name: string;
  roles: CreatorRole[];
  /** Share of the whole track, 0..1. */
  proportion: number;
  seconds: number;
  works: PartyWorkShare[];
}

export interface RoyaltySplit {
  parties: PartyShare[];
  /** Works found in the track that have no creators with splits in the catalog. */
  unsplitWorks: WorkShare[];
}

/** A party is one name, whatever its roles; names are compared without case and extra spaces. */
function partyKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function royaltySplit(shares: WorkShare[], metadata: ReadonlyMap<string, WorkMetadata>, durationSec: number): RoyaltySplit {
  const parties = new Map<string, PartyShare>();
  const unsplitWorks: WorkShare[] = [];
  for (const share of shares) {
    const creators = metadata.get(share.workId)?.creators ?? [];
    if (creators.length === 0) {
      unsplitWorks.push(share);
      continue;
    }
    for (const c of creators) {
      const key = partyKey(c.name);
      const party = parties.get(key) ?? { name: c.name, roles: [], proportion: 0, seconds: 0, works: [] };
      const proportion = share.proportion * (c.splitPercent / 100);
      party.proportion += proportion;
      party.seconds = party.proportion * durationSec;
      if (!party.roles.includes(c.role)) party.roles.push(c.role);
      const entry = party.works.find((w) => w.workId === share.workId);
      if (entry) {
        entry.splitPercent += c.splitPercent;
        entry.proportion += proportion;
        if (!entry.roles.includes(c.role)) entry.roles.push(c.role);
      } else {
        party.works.push({ workId: share.workId, title: share.title, roles: [c.role], splitPercent: c.splitPercent, proportion });
      }
      parties.set(key, party);
    }
  }
  return { parties: [...parties.values()].sort((a, b) => b.proportion - a.proportion || a.name.localeCompare(b.name)), unsplitWorks };
}

export interface FlaggedWork {
  workId: string;
  title: string;
  clearance: Exclude<ClearanceStatus, 'cleared'>;
  /** Indexes into the check's matches, and their spans in the track. */
  segments: { index: number; queryStartSec: number; queryEndSec: number }[];
}

export interface ClearanceVerdict {
  /**
   * 'flagged': the track uses at least one work not cleared (or of unknown clearance);
   * 'cleared': every catalog work found in it is cleared for AI use;
   * 'no-catalog-works': nothing from the catalog was found, so there is nothing to clear.
   */
  status: 'flagged' | 'cleared' | 'no-catalog-works';
  flagged: FlaggedWork[];
  clearedWorks: { workId: string; title: string }[];
}

/** How a flagged work's clearance reads in a sentence: "not cleared", or "clearance not recorded". */
export function flaggedClearanceText(clearance: FlaggedWork['clearance']): string {
  return clearance === 'not-cleared' ? 'not cleared' : 'clearance not recorded';
}

/**
 * Whether a flagged verdict flags works only because their clearance is not recorded (none is marked
 * not cleared). A work nobody has marked either way is flagged too (nothing clears it), but it asks
 * for a record, not an alarm: its headline says so and it is shown in amber, not red.
 */
export function onlyUnrecorded(flagged: readonly FlaggedWork[]): boolean {
  return !flagged.some((f) => f.clearance === 'not-cleared');
}

/** The headline of a flagged verdict. */
export function flaggedHeadline(flagged: readonly FlaggedWork[]): string {
  const works = flagged.length === 1 ? 'a work' : `${flagged.length} works`;
  return onlyUnrecorded(flagged)
    ? `Flagged: this track uses ${works} whose clearance for AI use is not recorded.`
    : `Flagged: this track uses ${works} not cleared for AI use.`;
}

export function clearanceVerdict(matches: MatchSegment[], metadata: ReadonlyMap<string, WorkMetadata>): ClearanceVerdict {
  const flagged = new Map<string, FlaggedWork>();
  const cleared = new Map<string, { workId: string; title: string }>();
  matches.forEach((m, index) => {
    const clearance = metadata.get(m.workId)?.clearance ?? 'unknown';
    if (clearance === 'cleared') {
      cleared.set(m.workId, { workId: m.workId, title: m.title });
      return;
    }
    const f = flagged.get(m.workId) ?? { workId: m.workId, title: m.title, clearance, segments: [] };
    f.segments.push({ index, queryStartSec: m.queryStartSec, queryEndSec: m.queryEndSec });
    flagged.set(m.workId, f);
  });
  const status = matches.length === 0 ? 'no-catalog-works' : flagged.size ? 'flagged' : 'cleared';
  return { status, flagged: [...flagged.values()], clearedWorks: [...cleared.values()] };
}
