import { describe, expect, it } from 'vitest';
import { compareProvenance, comparisonRows, findCatalogWork, normaliseTitle, provenanceReport, type DetectedWork } from '../../src/provenance/compare';
import { aiUseOf, shortSourceType, summariseManifestStore } from '../../src/provenance/summarise';
import { sniffC2paFormat } from '../../src/provenance/format';
import { describeC2paError } from '../../src/provenance/describe';
import type { DeclaredProvenance } from '../../src/provenance/types';
import { attributeShares } from '../../src/core/attribution';
import type { MatchSegment } from '../../src/core/types';
import { buildReport } from '../../src/report/report';
import { reportToCsv, REPORT_CSV_COLUMNS } from '../../src/report/report-csv';
import { reportToHtml } from '../../src/report/report-html';
import { parseCsv } from '../../src/report/csv';

const CATALOG = [
  { id: 'night-drive', title: 'Night Drive' },
  { id: 'harbour-lights', title: 'Harbour Lights' },
  { id: 'glass-garden', title: 'Glass Garden' },
  { id: 'cafe-ole', title: 'Café Olé' },
];

function declared(over: Omit<Partial<DeclaredProvenance>, 'ingredients'> & { ingredients?: string[]; sourceTypes?: string[] } = {}): DeclaredProvenance {
  const { ingredients = [], sourceTypes = ['trainedAlgorithmicMedia'], ...rest } = over;
  return {
    title: 'Track',
    generator: 'Some Model 1.0',
    signer: { commonName: 'Signer', issuer: 'Org', time: '', algorithm: 'Es256' },
    signature: { state: 'untrusted', problems: [], failureCodes: ['signingCredential.untrusted'] },
    ai: { use: aiUseOf(sourceTypes), digitalSourceTypes: sourceTypes, softwareAgents: [], actions: ['c2pa.created'] },
    ingredients: ingredients.map((title) => ({ title, relationship: 'componentOf', format: 'audio/wav' })),
    manifestCount: 1,
    ...rest,
  };
}

const found = (...ids: string[]): DetectedWork[] => ids.map((id, i) => ({ workId: id, title: CATALOG.find((w) => w.id === id)!.title, proportion: 0.2 + i * 0.1 }));
const kinds = (c: ReturnType<typeof compareProvenance>, topic: string) => c.findings.filter((f) => f.topic === topic).map((f) => [f.kind, f.ingredient ?? f.workId]);

describe('titles', () => {
  it('ignore case, accents, punctuation, separators and an audio file extension', () => {
    expect(normaliseTitle('Harbour_Lights.WAV')).toBe('harbour lights');
    expect(normaliseTitle('  CAFÉ   olé! ')).toBe('cafe ole');
    expect(findCatalogWork('harbour-lights.mp3', CATALOG)?.id).toBe('harbour-lights');
    expect(findCatalogWork('Cafe Ole', CATALOG)?.id).toBe('cafe-ole');
    // By id too (a file named after the work's id).
    expect(findCatalogWork('glass-garden', CATALOG)?.id).toBe('glass-garden');
  });

  it('match only equal titles, never a part of one', () => {
    expect(findCatalogWork('Harbour Lights (remix)', CATALOG)).toBeUndefined();
    expect(findCatalogWork('Night', CATALOG)).toBeUndefined();
    expect(findCatalogWork('', CATALOG)).toBeUndefined();
    expect(findCatalogWork('!!!', CATALOG)).toBeUndefined();
  });
});

describe('declared vs detected', () => {
  it('agrees when every work found is declared, and flags nothing', () => {
    const c = compareProvenance(declared({ ingredients: ['Night Drive', 'harbour_lights.wav'] }), found('night-drive', 'harbour-lights'), CATALOG);
    expect(c.verdict).toBe('agrees');
    expect(kinds(c, 'work')).toEqual([['agree', 'night-drive'], ['agree', 'harbour-lights']]);
    expect(c.findings.some((f) => f.kind === 'disagree')).toBe(false);
    expect(c.ingredientWorks).toEqual([
      { ingredient: 'Night Drive', workId: 'night-drive', found: true },
      { ingredient: 'harbour_lights.wav', workId: 'harbour-lights', found: true },
    ]);
  });

  it('disagrees when the credentials declare no ingredients but catalog works were found', () => {
    const c = compareProvenance(declared(), found('night-drive', 'harbour-lights'), CATALOG);
    expect(c.verdict).toBe('disagrees');
    expect(kinds(c, 'work')).toEqual([['disagree', 'night-drive'], ['disagree', 'harbour-lights']]);
    expect(c.headline).toContain('they declare no ingredients, but Tunetrace found 2 works from your catalog');
    // AI-made is declared (so the AI declaration itself agrees; it is noted).
    expect(kinds(c, 'ai')).toEqual([['note', undefined]]);
  });

  it('flags a found work that is missing from the declared ingredients, and a declared catalog work that was not found', () => {
    const c = compareProvenance(declared({ ingredients: ['Night Drive', 'Glass Garden'] }), found('night-drive', 'harbour-lights'), CATALOG);
    expect(c.verdict).toBe('disagrees');
    expect(kinds(c, 'work')).toEqual([['agree', 'night-drive'], ['disagree', 'harbour-lights']]);
    expect(kinds(c, 'ingredient')).toEqual([['disagree', 'Glass Garden']]);
    expect(c.headline).toContain('a work Tunetrace found is not declared');
    expect(c.headline).toContain('a declared catalog work was not found');
    const rows = comparisonRows(c, found('night-drive', 'harbour-lights'));
    expect(rows.map((r) => [r.name, r.declared, r.foundProportion !== null, r.kind])).toEqual([
      ['Night Drive', true, true, 'agree'], ['Harbour Lights', false, true, 'disagree'], ['Glass Garden', true, false, 'disagree'],
    ]);
  });

  it('notes an ingredient outside the catalog without counting it against the file', () => {
    const c = compareProvenance(declared({ ingredients: ['Night Drive', 'Somebody Else’s Song'] }), found('night-drive'), CATALOG);
    expect(c.verdict).toBe('agrees');
    expect(kinds(c, 'ingredient')).toEqual([['note', 'Somebody Else’s Song']]);
    expect(comparisonRows(c, found('night-drive')).at(-1)).toMatchObject({ name: 'Somebody Else’s Song', inCatalog: false, kind: 'note' });
  });

  it('flags a file declared as not AI-made (or silent on AI and ingredients) that holds catalog works', () => {
    const capture = compareProvenance(declared({ sourceTypes: ['digitalCapture'] }), found('night-drive'), CATALOG);
    expect(capture.verdict).toBe('disagrees');
    expect(kinds(capture, 'ai')).toEqual([['disagree', undefined]]);
    expect(capture.findings.find((f) => f.topic === 'ai')!.text).toContain('digitalCapture');

    const silent = compareProvenance(declared({ sourceTypes: [] }), found('night-drive'), CATALOG);
    expect(kinds(silent, 'ai')).toEqual([['disagree', undefined]]);
    // Nothing found: not claiming AI is no contradiction.
    expect(compareProvenance(declared({ sourceTypes: ['digitalCapture'] }), [], CATALOG).verdict).toBe('agrees');
  });

  it('agrees when nothing is declared and nothing was found, and says so', () => {
    const c = compareProvenance(declared(), [], CATALOG);
    expect(c.verdict).toBe('agrees');
    expect(c.headline).toContain('no work from your catalog is declared, and none was found');
    expect(comparisonRows(c, [])).toEqual([]);
  });

  it('warns that an invalid signature leaves the declarations unverified', () => {
    const bad = declared({ ingredients: ['Night Drive'], signature: { state: 'invalid', problems: ['data hash mismatch'], failureCodes: ['assertion.dataHash.mismatch'] } });
    const c = compareProvenance(bad, found('night-drive'), CATALOG);
    expect(c.findings.find((f) => f.topic === 'signature')!.text).toContain('failed validation');
    expect(compareProvenance(declared(), [], CATALOG).findings.find((f) => f.topic === 'signature')!.text).toContain('not vouched for');
  });

  it('gives the report a comparison only when there are credentials', () => {
    expect(provenanceReport({ status: 'none', reason: 'no-manifest', format: 'audio/mpeg' }, found('night-drive'), CATALOG)).toEqual({ status: 'none', reason: 'no-manifest', format: 'audio/mpeg' });
    const r = provenanceReport({ status: 'declared', declared: declared() }, found('night-drive'), CATALOG);
    expect(r.status === 'declared' && r.comparison?.verdict).toBe('disagrees');
  });
});

/** A manifest store shaped as c2pa-rs's Reader JSON (what c2pa-web's manifestStore() gives). */
function store(over: Record<string, unknown> = {}) {
  return {
    active_manifest: 'urn:c2pa:b',
    manifests: {
      'urn:c2pa:a': {
        claim_generator_info: [{ name: 'Model X', version: '3' }],
        assertions: [{ label: 'c2pa.actions', data: { actions: [{ action: 'c2pa.created', digitalSourceType: 'https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia', softwareAgent: 'Model X 3' }] } }],
      },
      'urn:c2pa:b': {
        claim_generator: 'Editor/2.0 c2pa-rs/0.50',
        title: 'final.mp3',
        ingredients: [{ title: 'draft.wav', relationship: 'parentOf', format: 'audio/wav' }, { title: 'Night Drive.wav', format: 'audio/wav' }],
        assertions: [
          { label: 'c2pa.actions.v2', data: { actions: [{ action: 'c2pa.opened' }, { action: 'c2pa.edited', softwareAgent: { name: 'Editor', version: '2.0' } }] } },
          { label: 'c2pa.hash.data', data: {} },
        ],
        signature_info: { common_name: 'Editor Co signing', issuer: 'Editor Co', alg: 'Es256', time: '2026-01-02T03:04:05Z' },
      },
    },
    validation_state: 'Valid',
    validation_results: { activeManifest: { success: [], informational: [], failure: [{ code: 'signingCredential.untrusted', explanation: 'signing certificate untrusted' }] } },
    ...over,
  };
}

describe('summarising a manifest store', () => {
  it('reads generator, signer, AI use from every manifest, and the active manifest’s ingredients', () => {
    const d = summariseManifestStore(store())!;
    expect(d.generator).toBe('Editor 2.0 c2pa-rs 0.50');
    expect(d.title).toBe('final.mp3');
    expect(d.signer).toEqual({ commonName: 'Editor Co signing', issuer: 'Editor Co', algorithm: 'Es256', time: '2026-01-02T03:04:05Z' });
    expect(d.signature).toEqual({ state: 'untrusted', problems: [], failureCodes: ['signingCredential.untrusted'] });
    // The model's c2pa.created is in the earlier manifest: still found.
    expect(d.ai.use).toBe('generated');
    expect(d.ai.digitalSourceTypes).toEqual(['trainedAlgorithmicMedia']);
    expect(d.ai.softwareAgents).toEqual(['Editor 2.0', 'Model X 3']);
    expect(d.ai.actions).toEqual(['c2pa.opened', 'c2pa.edited']);
    expect(d.ingredients).toEqual([
      { title: 'draft.wav', relationship: 'parentOf', format: 'audio/wav' },
      { title: 'Night Drive.wav', relationship: 'componentOf', format: 'audio/wav' },
    ]);
    expect(d.manifestCount).toBe(2);
  });

  it('tells trusted, untrusted and invalid apart, keeping the reasons of a failure', () => {
    expect(summariseManifestStore(store({ validation_state: 'Trusted', validation_results: { activeManifest: { failure: [] } } }))!.signature.state).toBe('trusted');
    const invalid = summariseManifestStore(store({
      validation_state: 'Invalid',
      validation_results: { activeManifest: { failure: [{ code: 'signingCredential.untrusted' }, { code: 'assertion.dataHash.mismatch', explanation: 'asset hash error' }] } },
    }))!;
    expect(invalid.signature).toEqual({ state: 'invalid', problems: ['asset hash error'], failureCodes: ['signingCredential.untrusted', 'assertion.dataHash.mismatch'] });
    // A reader without validation_state: judged from the status list.
    const old = store({ validation_state: undefined, validation_results: undefined, validation_status: [{ code: 'claimSignature.mismatch' }] });
    expect(summariseManifestStore(old)!.signature.state).toBe('invalid');
  });

  it('reads what it can of odd input and returns null without an active manifest', () => {
    expect(summariseManifestStore(null)).toBeNull();
    expect(summariseManifestStore({ manifests: {} })).toBeNull();
    expect(summariseManifestStore(store({ active_manifest: 'urn:missing' }))).toBeNull();
    const odd = summariseManifestStore({ active_manifest: 'm', manifests: { m: { assertions: 'nope', ingredients: [null, { title: 7 }] } } })!;
    expect(odd.ingredients).toEqual([{ title: '7', relationship: 'componentOf', format: '' }]);
    expect(odd.ai.use).toBe('not-declared');
    expect(odd.signer).toBeNull();
  });

  it('knows the IPTC digital source types by any spelling', () => {
    expect(shortSourceType('http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia')).toBe('compositeWithTrainedAlgorithmicMedia');
    expect(aiUseOf(['compositeWithTrainedAlgorithmicMedia'])).toBe('partly-generated');
    expect(aiUseOf(['digitalCapture', 'trainedAlgorithmicMedia'])).toBe('generated');
    expect(aiUseOf(['humanEdits'])).toBe('not-ai');
    expect(aiUseOf([])).toBe('not-declared');
  });
});

describe('containers and errors', () => {
  const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
  it('names the containers C2PA can be embedded in, and no others', () => {
    expect(sniffC2paFormat(bytes('ID3', [4, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe('audio/mpeg');
    expect(sniffC2paFormat(bytes([0xff, 0xfb, 0x90, 0x64]))).toBe('audio/mpeg');
    expect(sniffC2paFormat(bytes('RIFF', [0, 0, 0, 0], 'WAVE'))).toBe('audio/wav');
    expect(sniffC2paFormat(bytes([0, 0, 0, 0x20], 'ftypM4A '))).toBe('audio/mp4');
    expect(sniffC2paFormat(bytes('OggS', [0, 2, 0, 0, 0, 0, 0, 0]))).toBeNull();
    expect(sniffC2paFormat(bytes('fLaC', [0, 0, 0, 34, 0, 0, 0, 0]))).toBeNull();
    expect(sniffC2paFormat(bytes('RIFF', [0, 0, 0, 0], 'AVI '))).toBeNull();
  });

  it('words c2pa-rs errors as malformed credentials', () => {
    expect(describeC2paError(new Error('C2pa(ClaimDecoding("claim_cbor: bad"))'))).toBe('they are malformed (ClaimDecoding: claim_cbor: bad)');
    expect(describeC2paError(new Error('C2pa(InvalidAsset)'))).toBe('they are malformed (InvalidAsset)');
    expect(describeC2paError('worker died.')).toBe('worker died');
  });
});

describe('the check report’s provenance', () => {
  const seg = (workId: string, title: string, from: number, to: number): MatchSegment => ({
    workId, title, evidence: 'recording', confidence: 1, queryStartSec: from, queryEndSec: to, refStartSec: 0, refEndSec: to - from,
    timeRatio: 1, pitchShiftSemitones: 0, hits: 50, expectedHits: 0.2,
  });
  const matches = [seg('night-drive', 'Night Drive', 0, 10), seg('harbour-lights', 'Harbour Lights', 20, 30)];
  const build = (provenance?: Parameters<typeof buildReport>[0]['provenance']) => buildReport({
    file: { name: 'x.mp3', sha256: 'ab', sizeBytes: 1 },
    result: { durationSec: 40, matches, ...attributeShares(matches, 40), searchedWorks: CATALOG.length },
    catalog: { id: 'c', name: 'Mine', works: CATALOG.length }, formatVersion: 3, metadata: new Map(), via: 'app',
    provenance, catalogWorks: CATALOG,
  });

  it('says the credentials were not looked for when none were read', () => {
    expect(build().provenance).toEqual({ status: 'not-read', reason: 'Content credentials were not looked for.' });
  });

  it('carries declared vs detected into JSON, CSV and HTML', () => {
    const report = build({ status: 'declared', declared: declared({ ingredients: ['Night Drive', 'Glass Garden'] }) });
    const p = report.provenance;
    expect(p.status === 'declared' && p.comparison!.verdict).toBe('disagrees');
    expect(report.limits.some((l) => l.includes('ships no trust list'))).toBe(true);

    const rows = parseCsv(reportToCsv(report)).map((x) => x.fields);
    const col = (name: string) => REPORT_CSV_COLUMNS.indexOf(name as never);
    const summary = rows.filter((x) => x[col('record')] === 'provenance');
    expect(summary).toHaveLength(1);
    expect(summary[0][col('signature')]).toBe('untrusted');
    expect(summary[0][col('ingredients')]).toBe('Night Drive; Glass Garden');
    const findings = rows.filter((x) => x[col('record')] === 'provenance-finding' && x[col('finding')] === 'disagree');
    expect(findings.map((x) => x[col('work_id')]).sort()).toEqual(['glass-garden', 'harbour-lights']);

    const html = reportToHtml(report);
    expect(html).toContain('<h2>Content credentials (C2PA)</h2>');
    expect((html.match(/<tr class="disagree">/g) ?? []).length).toBe(2);
    expect((html.match(/<tr class="agree">/g) ?? []).length).toBe(1);
    expect(html).toContain('Signature valid, signer not trusted');
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('prints a file without credentials, and a read error, plainly', () => {
    expect(reportToHtml(build({ status: 'none', reason: 'no-manifest', format: 'audio/mpeg' }))).toContain('This file carries no content credentials (C2PA).');
    const html = reportToHtml(build({ status: 'error', message: 'The content credentials (C2PA) of this file could not be read: <bad>.' }));
    expect(html).toContain('could not be read: &lt;bad&gt;.');
  });
});
