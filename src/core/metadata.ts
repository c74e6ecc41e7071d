// Rights metadata of a work: who made it, in which role, with what split,
// its identifiers, and whether it may be used by AI. Plain data and
// validation, shared by the app (Catalog screen, reports) and the CLI.
//
// Splits: one party can appear once per role; the split percentages of ALL
// creators of a work together must add to 100 % (one pool per work, not one per
// role). That makes "track share × split" add up to the work's share of the
// track, so the royalty table never counts the same seconds twice.

export const CREATOR_ROLES = ['composer', 'lyricist', 'performer', 'producer', 'publisher'] as const;
export type CreatorRole = (typeof CREATOR_ROLES)[number];

export const CLEARANCE_STATUSES = ['cleared', 'not-cleared', 'unknown'] as const;
export type ClearanceStatus = (typeof CLEARANCE_STATUSES)[number];

export const CLEARANCE_LABELS: Record<ClearanceStatus, string> = {
  cleared: 'Cleared for AI use',
  'not-cleared': 'Not cleared for AI use',
  unknown: 'AI use not recorded',
};

export interface Creator {
  name: string;
  role: CreatorRole;
  /** Share of the work's income, 0..100 (percent). */
  splitPercent: number;
}

export interface WorkMetadata {
  workId: string;
  creators: Creator[];
  /** International Standard Recording Code (the recording), normalised to CC-XXX-YY-NNNNN, or ''. */
  isrc: string;
  /** International Standard Musical Work Code (the composition), normalised to T-123.456.789-C, or ''. */
  iswc: string;
  /** Release (album, single, catalogue number…), free text. */
  release: string;
  clearance: ClearanceStatus;
  notes: string;
  /** ms since the epoch. */
  updatedAt: number;
}

export interface MetadataIssue {
  /** 'isrc', 'iswc', 'clearance', 'splits', or 'creators.N.name' / 'creators.N.role' / 'creators.N.splitPercent'. */
  field: string;
  message: string;
}

/** Splits may be off by this much in total (rounding in spreadsheets: 33.33 × 3). */
export const SPLIT_TOLERANCE_PERCENT = 0.01;

export function emptyMetadata(workId: string): WorkMetadata {
  return { workId, creators: [], isrc: '', iswc: '', release: '', clearance: 'unknown', notes: '', updatedAt: 0 };
}

/** CC-XXX-YY-NNNNN: country (2 letters), registrant (3 letters or digits), year (2 digits), designation (5 digits). */
export function normaliseIsrc(text: string): string | null {
  const compact = text.trim().toUpperCase().replace(/-/g, '');
  const m = /^([A-Z]{2})([A-Z0-9]{3})(\d{2})(\d{5})$/.exec(compact);
  return m ? `${m[1]}-${m[2]}-${m[3]}-${m[4]}` : null;
}

/** The ISWC check digit for the nine digits of the work identifier: (10 − (1 + Σ i·dᵢ) mod 10) mod 10. */
export function iswcCheckDigit(nineDigits: string): number {
  let sum = 1;
  for (let i = 0; i < 9; i++) sum += (i + 1) * Number(nineDigits[i]);
  return (10 - (sum % 10)) % 10;
}

/** T-123.456.789-C (separators optional); null if the format is wrong. The check digit is checked apart. */
function parseIswc(text: string): { digits: string; check: number } | null {
  const m = /^T-?(\d{3})\.?(\d{3})\.?(\d{3})-?(\d)$/.exec(text.trim().toUpperCase());
  return m ? { digits: m[1] + m[2] + m[3], check: Number(m[4]) } : null;
}

export function normaliseIswc(text: string): string | null {
  const p = parseIswc(text);
  if (!p || iswcCheckDigit(p.digits) !== p.check) return null;
  return `T-${p.digits.slice(0, 3)}.${p.digits.slice(3, 6)}.${p.digits.slice(6)}-${p.check}`;
}

export function isCreatorRole(text: string): text is CreatorRole {
  return (CREATOR_ROLES as readonly string[]).includes(text);
}

/** Accepts the stored value or the label, case-insensitively; '' means unknown. */
export function parseClearance(text: string): ClearanceStatus | null {
  const t = text.trim().toLowerCase().replace(/[\s_]+/g, '-');
  if (t === '' || t === 'unknown') return 'unknown';
  if (t === 'cleared' || t === 'cleared-for-ai-use') return 'cleared';
  if (t === 'not-cleared' || t === 'notcleared') return 'not-cleared';
  return null;
}

/**
 * Checks a work's metadata. Returns the normalised metadata (identifiers in
 * their canonical form, names trimmed) when there are no issues.
 */
export function validateMetadata(input: WorkMetadata): { metadata: WorkMetadata; issues: MetadataIssue[] } {
  const issues: MetadataIssue[] = [];
  let isrc = '';
  if (input.isrc.trim()) {
    const n = normaliseIsrc(input.isrc);
    if (n) isrc = n;
    else issues.push({ field: 'isrc', message: `ISRC “${input.isrc.trim()}” is not valid: it must be 2 letters (country), 3 letters or digits (registrant), 2 digits (year) and 5 digits, like GB-A1B-24-00042 (hyphens optional).` });
  }
  let iswc = '';
  if (input.iswc.trim()) {
    const p = parseIswc(input.iswc);
    if (!p) {
      issues.push({ field: 'iswc', message: `ISWC “${input.iswc.trim()}” is not valid: it must be T, 9 digits and a check digit, like T-034.524.680-1 (separators optional).` });
    } else if (iswcCheckDigit(p.digits) !== p.check) {
      issues.push({ field: 'iswc', message: `ISWC “${input.iswc.trim()}” has a wrong check digit: for these nine digits it must be ${iswcCheckDigit(p.digits)}. Check for a typing error.` });
    } else {
      iswc = normaliseIswc(input.iswc)!;
    }
  }
  if (!(CLEARANCE_STATUSES as readonly string[]).includes(input.clearance)) {
    issues.push({ field: 'clearance', message: `Clearance “${input.clearance}” is not one of: cleared, not-cleared, unknown.` });
  }
  const creators = input.creators.map((c) => ({ ...c, name: c.name.trim().replace(/\s+/g, ' ') }));
  const seen = new Set<string>();
  creators.forEach((c, i) => {
    const who = c.name || `Creator ${i + 1}`;
    if (!c.name) issues.push({ field: `creators.${i}.name`, message: `Creator ${i + 1} has no name.` });
    if (!isCreatorRole(c.role)) issues.push({ field: `creators.${i}.role`, message: `${who}: role “${c.role}” is not one of ${CREATOR_ROLES.join(', ')}.` });
    if (!Number.isFinite(c.splitPercent) || c.splitPercent < 0 || c.splitPercent > 100) {
      issues.push({ field: `creators.${i}.splitPercent`, message: `${who}: split must be a number from 0 to 100 %.` });
    }
    const key = `${c.name.toLowerCase()}\u0000${c.role}`;
    if (c.name && seen.has(key)) issues.push({ field: `creators.${i}.name`, message: `${who} is listed twice as ${c.role}; give one line per role.` });
    seen.add(key);
  });
  if (creators.length > 0 && creators.every((c) => Number.isFinite(c.splitPercent))) {
    const total = creators.reduce((s, c) => s + c.splitPercent, 0);
    if (Math.abs(total - 100) > SPLIT_TOLERANCE_PERCENT) {
      issues.push({ field: 'splits', message: `The splits add up to ${formatPercentNumber(total)} %, not 100 %. All creators of a work share one 100 %.` });
    }
  }
  return {
    metadata: { ...input, isrc, iswc, creators, release: input.release.trim(), notes: input.notes.trim() },
    issues,
  };
}

function formatPercentNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2).replace(/0+$/, '');
}
