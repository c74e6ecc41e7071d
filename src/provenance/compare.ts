import type { DeclaredProvenance, ProvenanceComparison, ProvenanceFinding, ProvenanceRead, ProvenanceReport } from './types';

// Declared vs detected: what a file's content credentials say it is made of, against the
// catalog works Tunetrace found in it. Pure, shared by the Check screen and the reports.

export interface DetectedWork {
  workId: string;
  title: string;
  /** Share of the track, 0..1. */
  proportion: number;
}

export interface CatalogWorkRef {
  id: string;
  title: string;
}

const AUDIO_EXTENSION = /\.(wav|wave|mp3|m4a|mp4|aac|flac|ogg|oga|opus|aif|aiff|mid|midi|webm)$/i;

/**
 * A title as compared: case, accents, punctuation, an audio file extension and the separators
 * of file names (“harbour_lights-final.wav” vs “Harbour Lights”: not equal; “harbour-lights.wav”
 * vs “Harbour Lights”: equal) do not count. Only equal titles match: a declared title is a claim
 * about one work, and a loose match would put words in the declarer's mouth.
 */
export function normaliseTitle(title: string): string {
  return title
    .trim()
    .replace(AUDIO_EXTENSION, '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The catalog work a declared ingredient title names (by title, else by id), if any. */
export function findCatalogWork(title: string, works: readonly CatalogWorkRef[]): CatalogWorkRef | undefined {
  const key = normaliseTitle(title);
  if (!key) return undefined;
  return works.find((w) => normaliseTitle(w.title) === key) ?? works.find((w) => normaliseTitle(w.id) === key);
}

const pct = (x: number) => `${Math.round(x * 100)} %`;
const quote = (s: string) => `“${s}”`;

const AI_PHRASE: Record<DeclaredProvenance['ai']['use'], string> = {
  generated: 'declare the track AI-generated',
  'partly-generated': 'declare the track partly AI-generated',
  'not-ai': 'declare the track not AI-generated',
  'not-declared': 'do not say whether AI was used',
};

export function compareProvenance(
  declared: DeclaredProvenance,
  detected: readonly DetectedWork[],
  catalog: readonly CatalogWorkRef[],
): ProvenanceComparison {
  const findings: ProvenanceFinding[] = [];
  const ingredientWorks = declared.ingredients
    .filter((i) => i.title)
    .map((i) => {
      const work = findCatalogWork(i.title, catalog);
      return { ingredient: i.title, workId: work?.id ?? null, found: work ? detected.some((d) => d.workId === work.id) : false };
    });
  const declaredWorkIds = new Set(ingredientWorks.map((i) => i.workId).filter((id): id is string => id !== null));

  for (const work of detected) {
    if (declaredWorkIds.has(work.workId)) {
      findings.push({ kind: 'agree', topic: 'work', workId: work.workId, text: `${quote(work.title)} is declared as an ingredient, and Tunetrace found it (${pct(work.proportion)} of the track).` });
    } else {
      findings.push({ kind: 'disagree', topic: 'work', workId: work.workId, text: `Tunetrace found ${quote(work.title)} (${pct(work.proportion)} of the track), but the credentials do not declare it as an ingredient.` });
    }
  }
  for (const i of ingredientWorks) {
    if (i.workId === null) {
      findings.push({ kind: 'note', topic: 'ingredient', ingredient: i.ingredient, text: `${quote(i.ingredient)} is declared as an ingredient; it is not in your catalog, so Tunetrace cannot check it.` });
    } else if (!i.found) {
      findings.push({ kind: 'disagree', topic: 'ingredient', ingredient: i.ingredient, workId: i.workId, text: `${quote(i.ingredient)} is declared as an ingredient and is in your catalog, but Tunetrace did not find it in this track.` });
    }
  }
  if (detected.length > 0 && declared.ai.use === 'not-ai') {
    findings.push({ kind: 'disagree', topic: 'ai', text: `The credentials declare the track ${declared.ai.digitalSourceTypes.join(', ')}, not AI-made, yet it contains material from your catalog.` });
  } else if (detected.length > 0 && declared.ai.use === 'not-declared' && declared.ingredients.length === 0) {
    findings.push({ kind: 'disagree', topic: 'ai', text: 'The credentials declare neither the use of AI nor any ingredient, yet the track contains material from your catalog.' });
  } else if (declared.ai.use === 'generated' || declared.ai.use === 'partly-generated') {
    findings.push({ kind: 'note', topic: 'ai', text: `The credentials ${AI_PHRASE[declared.ai.use]} (${declared.ai.digitalSourceTypes.join(', ')}).` });
  }
  if (declared.signature.state === 'invalid') {
    findings.push({ kind: 'note', topic: 'signature', text: 'The credentials failed validation, so these declarations may have been altered or may not belong to this file.' });
  } else if (declared.signature.state === 'untrusted') {
    findings.push({ kind: 'note', topic: 'signature', text: 'The signature is intact, but its certificate is not on a trust list Tunetrace knows: the declarations are unchanged since signing, but who made them is not vouched for.' });
  }

  const missing = findings.filter((f) => f.kind === 'disagree' && f.topic === 'work').length;
  const notFound = findings.filter((f) => f.kind === 'disagree' && f.topic === 'ingredient').length;
  const verdict = findings.some((f) => f.kind === 'disagree') ? 'disagrees' : 'agrees';
  let headline: string;
  if (verdict === 'agrees') {
    headline = detected.length
      ? `The credentials agree with what Tunetrace found: every catalog work found is declared as an ingredient.`
      : `The credentials agree with what Tunetrace found: no work from your catalog is declared, and none was found.`;
  } else {
    const parts: string[] = [];
    if (missing && declared.ingredients.length === 0) parts.push(`they declare no ingredients, but Tunetrace found ${missing === 1 ? 'a work' : `${missing} works`} from your catalog`);
    else if (missing) parts.push(`${missing === 1 ? 'a work' : `${missing} works`} Tunetrace found ${missing === 1 ? 'is' : 'are'} not declared`);
    if (notFound) parts.push(`${notFound === 1 ? 'a declared catalog work was' : `${notFound} declared catalog works were`} not found`);
    if (!parts.length) parts.push(`they ${AI_PHRASE[declared.ai.use]}, but the track contains material from your catalog`);
    headline = `The credentials disagree with what Tunetrace found: ${parts.join('; ')}.`;
  }
  return { verdict, headline, findings, ingredientWorks };
}

/** The report's `provenance` field: the read, plus the comparison when there were credentials. */
export function provenanceReport(
  read: ProvenanceRead,
  detected: readonly DetectedWork[],
  catalog: readonly CatalogWorkRef[],
): ProvenanceReport {
  return read.status === 'declared' ? { ...read, comparison: compareProvenance(read.declared, detected, catalog) } : read;
}

/** One line of the declared-vs-detected table: a catalog work found, or a declared ingredient. */
export interface ComparisonRow {
  name: string;
  workId: string | null;
  declared: boolean;
  /** Share of the track Tunetrace found, or null if not found. */
  foundProportion: number | null;
  inCatalog: boolean;
  kind: 'agree' | 'disagree' | 'note';
}

/** The table rows: every work found (declared or not), then the declared ingredients not found. */
export function comparisonRows(comparison: ProvenanceComparison, detected: readonly DetectedWork[]): ComparisonRow[] {
  const declaredIds = new Set(comparison.ingredientWorks.map((i) => i.workId));
  const rows: ComparisonRow[] = detected.map((d) => ({
    name: d.title, workId: d.workId, declared: declaredIds.has(d.workId), foundProportion: d.proportion, inCatalog: true,
    kind: declaredIds.has(d.workId) ? 'agree' : 'disagree',
  }));
  for (const i of comparison.ingredientWorks) {
    if (i.found) continue;
    rows.push({ name: i.ingredient, workId: i.workId, declared: true, foundProportion: null, inCatalog: i.workId !== null, kind: i.workId ? 'disagree' : 'note' });
  }
  return rows;
}
