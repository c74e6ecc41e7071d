// Plain data about a file's C2PA content credentials, shared by the reader (browser), the
// comparison, the Check screen and the reports (app and CLI). No DOM, no c2pa-web types.

/**
 * How far the credentials' signature can be believed:
 * - `trusted`: valid, and the signer's certificate chains to a trust anchor the reader knows;
 * - `untrusted`: the signature and every hash are valid, but the certificate is not on any
 *   trust list Tunetrace has (Tunetrace ships none, so self-signed and test certificates, and
 *   for now every other certificate too, show like this): the file is unchanged since signing,
 *   but who signed it is not vouched for;
 * - `invalid`: a signature, hash or structure check failed: the declarations cannot be relied on.
 */
export type SignatureState = 'trusted' | 'untrusted' | 'invalid';

/**
 * What the credentials say about AI, from the IPTC digital source types of their actions:
 * `generated` (trainedAlgorithmicMedia, algorithmicMedia), `partly-generated`
 * (compositeWithTrainedAlgorithmicMedia, compositeSynthetic), `not-ai` (a source type that is not
 * synthetic, e.g. digitalCapture, digitalCreation), `not-declared` (no source type at all).
 */
export type AiUse = 'generated' | 'partly-generated' | 'not-ai' | 'not-declared';

export interface DeclaredIngredient {
  title: string;
  /** parentOf (an earlier version of this file), componentOf (a part of it) or inputTo. */
  relationship: string;
  format: string;
}

/** The active manifest of a file's C2PA manifest store, reduced to what Tunetrace compares. */
export interface DeclaredProvenance {
  /** dc:title the manifest gives the file, if any. */
  title: string;
  /** The claim generator: the software that made the credentials (“Test Music AI 2.1”). */
  generator: string;
  signer: { commonName: string; issuer: string; time: string; algorithm: string } | null;
  signature: {
    state: SignatureState;
    /** Validation failures other than “untrusted certificate”, as the reader explained them. */
    problems: string[];
    /** Every failure code (e.g. signingCredential.untrusted, assertion.dataHash.mismatch). */
    failureCodes: string[];
  };
  ai: {
    use: AiUse;
    /** Short IPTC names, e.g. trainedAlgorithmicMedia. */
    digitalSourceTypes: string[];
    /** Names of the software agents the actions name (models, apps). */
    softwareAgents: string[];
    /** The action names, in order (c2pa.created, c2pa.placed…). */
    actions: string[];
  };
  ingredients: DeclaredIngredient[];
  /** Manifests in the store (1 = made once; more = edited since, each step signed). */
  manifestCount: number;
}

/** What reading a file's credentials gave. */
export type ProvenanceRead =
  | { status: 'declared'; declared: DeclaredProvenance }
  /** No manifest; `format` is the container looked in, or why none was looked in. */
  | { status: 'none'; reason: 'no-manifest' | 'unsupported-format'; format: string }
  /** The file holds credentials that could not be read (malformed), or the reader failed. */
  | { status: 'error'; message: string }
  /** Not looked for (the CLI); `reason` says why. */
  | { status: 'not-read'; reason: string };

export type FindingKind = 'agree' | 'disagree' | 'note';

export interface ProvenanceFinding {
  kind: FindingKind;
  /** What it is about: a work Tunetrace found, a declared ingredient, the AI declaration, or the signature. */
  topic: 'work' | 'ingredient' | 'ai' | 'signature';
  text: string;
  workId?: string;
  ingredient?: string;
}

/** Declared vs detected. */
export interface ProvenanceComparison {
  /**
   * `agrees`: every catalog work found is declared and every declared ingredient that is a catalog
   * work was found; `disagrees`: at least one finding contradicts the declarations.
   */
  verdict: 'agrees' | 'disagrees';
  headline: string;
  findings: ProvenanceFinding[];
  /** Declared ingredients that name a catalog work, and whether Tunetrace found that work. */
  ingredientWorks: { ingredient: string; workId: string | null; found: boolean }[];
}

/** The report's `provenance` field: what was read, and (with credentials) the comparison. */
export type ProvenanceReport = ProvenanceRead & { comparison?: ProvenanceComparison };
