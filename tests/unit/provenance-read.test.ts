import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTestSigner, signMp3, TRAINED_ALGORITHMIC_MEDIA, type TestSigner } from '../../scripts/make-c2pa-fixture';
import { readProvenanceBytes } from '../../src/provenance/read-node';

// The fixture writer (@trustnxt/c2pa-ts) against the reader the CLI uses (c2pa-web's c2pa-rs WASM):
// what is written is read back, a changed byte is caught, and a file without credentials says so.

let mp3: Uint8Array;
let signer: TestSigner;

beforeAll(async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tt-c2pa-unit-')), 'tone.mp3');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=3', '-c:a', 'libmp3lame', '-b:a', '64k', path]);
  mp3 = new Uint8Array(readFileSync(path));
  signer = await makeTestSigner('Unit test signer');
});

describe('C2PA in an MP3, written by the fixture script and read as the CLI reads it', () => {
  it('reads back the generator, the AI declaration, every ingredient and an untrusted but valid signature', async () => {
    const signed = await signMp3(mp3, { generator: { name: 'Model Z', version: '9' }, ingredients: ['One', 'Two', 'Three'], title: 'Tone' }, signer);
    const read = await readProvenanceBytes(signed, 'tone.mp3');
    expect(read.status).toBe('declared');
    if (read.status !== 'declared') return;
    const d = read.declared;
    expect(d.generator).toBe('Model Z 9');
    expect(d.title).toBe('Tone');
    expect(d.signer?.commonName).toBe('Unit test signer');
    expect(d.signature).toEqual({ state: 'untrusted', problems: [], failureCodes: ['signingCredential.untrusted'] });
    expect(d.ai.use).toBe('generated');
    expect(d.ai.digitalSourceTypes).toEqual([TRAINED_ALGORITHMIC_MEDIA.split('/').pop()]);
    expect(d.ai.actions).toEqual(['c2pa.created', 'c2pa.placed', 'c2pa.placed', 'c2pa.placed']);
    expect(d.ingredients.map((i) => [i.title, i.relationship])).toEqual([['One', 'componentOf'], ['Two', 'componentOf'], ['Three', 'componentOf']]);
  });

  it('catches a byte changed after signing', async () => {
    const signed = await signMp3(mp3, { generator: { name: 'Model Z' }, ingredients: [] }, signer);
    signed[signed.length - 100] ^= 0x40;
    const read = await readProvenanceBytes(signed, 'tone.mp3');
    expect(read.status === 'declared' && read.declared.signature.state).toBe('invalid');
    expect(read.status === 'declared' && read.declared.signature.failureCodes).toContain('assertion.dataHash.mismatch');
  });

  it('says so for a file without credentials, a container that cannot hold them, and malformed ones', async () => {
    expect(await readProvenanceBytes(mp3, 'tone.mp3')).toEqual({ status: 'none', reason: 'no-manifest', format: 'audio/mpeg' });
    expect(await readProvenanceBytes(new TextEncoder().encode('OggS\0\x02 not really an ogg file'), 'x.opus')).toEqual({ status: 'none', reason: 'unsupported-format', format: 'Ogg' });
    const signed = await signMp3(mp3, { generator: { name: 'Model Z' }, ingredients: ['One'] }, signer);
    const claimAt = Buffer.from(signed).indexOf('c2pa.claim');
    signed.fill(0, claimAt + 40, claimAt + 240);
    const read = await readProvenanceBytes(signed, 'tone.mp3');
    expect(read.status).toBe('error');
    expect(read.status === 'error' && read.message).toMatch(/could not be read: they are malformed/);
  });
});
