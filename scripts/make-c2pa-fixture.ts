// Makes C2PA-signed test audio: an MP3 that carries content credentials declaring an AI
// generator, a trainedAlgorithmicMedia "created" action and ingredients, signed with a
// certificate made on the spot (a throw-away test CA and signer, trusted by nobody).
//
//   npx tsx scripts/make-c2pa-fixture.ts [IN.(opus|wav|mp3…)] [OUT.mp3] [--ingredient TITLE]… [--generator NAME]
//
// Without arguments it encodes the demo track (public/demo/ai-track.opus) with ffmpeg and writes
// tests/fixtures/c2pa/demo-track.c2pa.mp3 (not committed: the e2e test makes its own copies).
// The writer is @trustnxt/c2pa-ts (pure TypeScript); the container is MP3 because it is the
// one audio format that both it (MP3, BMFF) and @contentauth/c2pa-web (WAV, MP3, M4A) handle
// and that Chromium decodes everywhere. The manifest sits in an ID3v2 GEOB frame, as the C2PA
// specification puts it for MP3, and a data-hash assertion binds it to every other byte.

import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as x509 from '@peculiar/x509';
import { MP3 } from '@trustnxt/c2pa-ts/asset';
import { CoseAlgorithmIdentifier, type Signer } from '@trustnxt/c2pa-ts/cose';
import {
  ActionAssertion, ActionType, DataHashAssertion, DigitalSourceType, IngredientAssertion, ManifestStore, RelationshipType,
} from '@trustnxt/c2pa-ts/manifest';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const TRAINED_ALGORITHMIC_MEDIA = DigitalSourceType.TrainedAlgorithmicMedia as string;

export interface C2paDeclaration {
  /** The claim generator (the software that made the claim), e.g. an AI music model. */
  generator: { name: string; version?: string };
  /** IPTC digital source type of the c2pa.created action; default trainedAlgorithmicMedia. */
  digitalSourceType?: string;
  /** Titles of the ingredients (componentOf) the track declares. */
  ingredients: string[];
  /** dc:title of the asset. */
  title?: string;
}

export interface TestSigner {
  signer: Signer;
  /** The signer's certificate (PEM) and the throw-away CA's, for inspection. */
  certificatePem: string;
  caCertificatePem: string;
  /** The signer's common name, as a reader reports it. */
  commonName: string;
}

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/**
 * A test CA and a signer certificate it issues, made in memory. The signer follows the C2PA
 * certificate profile (v3, critical keyUsage digitalSignature, extKeyUsage emailProtection, not a
 * CA) so that readers report the signature as *valid but untrusted* rather than malformed.
 */
export async function makeTestSigner(commonName = 'Tunetrace test signer (untrusted)'): Promise<TestSigner> {
  x509.cryptoProvider.set(globalThis.crypto);
  const caKeys = await crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const keys = await crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(Date.now() + 2 * 365 * 24 * 3600 * 1000);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Tunetrace Test CA (not trusted), O=Tunetrace tests',
    notBefore, notAfter,
    keys: caKeys,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `CN=${commonName}, O=Tunetrace tests`,
    issuer: ca.subject,
    notBefore, notAfter,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.emailProtection]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  // COSE wants an ECDSA signature as raw r|s (IEEE P1363), which is what WebCrypto gives; c2pa-ts's
  // own LocalSigner re-encodes it as ASN.1 DER, which c2pa-rs (inside c2pa-web) rejects.
  const signer: Signer = {
    algorithm: CoseAlgorithmIdentifier.ES256,
    certificate: cert,
    chainCertificates: [ca],
    sign: async (payload) => new Uint8Array(await crypto.subtle.sign(EC_P256, keys.privateKey, payload as Uint8Array<ArrayBuffer>)),
  };
  return {
    signer,
    certificatePem: cert.toString('pem'),
    caCertificatePem: ca.toString('pem'),
    commonName,
  };
}

/** Embeds a signed C2PA manifest store with `declaration` in an MP3 and returns the new file's bytes. */
export async function signMp3(mp3: Uint8Array, declaration: C2paDeclaration, testSigner?: TestSigner): Promise<Uint8Array> {
  if (!MP3.canRead(mp3)) throw new Error('Not an MP3 file: C2PA can only be written here into MP3.');
  const { signer } = testSigner ?? (await makeTestSigner());
  const asset = new MP3(mp3);
  const store = new ManifestStore();
  const manifest = store.createManifest({
    assetFormat: 'audio/mpeg',
    instanceID: `xmp:iid:${crypto.randomUUID()}`,
    defaultHashAlgorithm: 'SHA-256',
    signer,
  });
  const claim = manifest.claim!;
  claim.claimGeneratorName = declaration.generator.name;
  claim.claimGeneratorVersion = declaration.generator.version;
  claim.title = declaration.title;

  const ingredients = declaration.ingredients.map((title, index) => {
    const ingredient = IngredientAssertion.createV3(RelationshipType.ComponentOf);
    // Assertions of one kind need distinct labels (c2pa.ingredient.v3, c2pa.ingredient.v3__1, …),
    // or every reference resolves to the first and validation fails.
    if (index > 0) ingredient.labelSuffix = index;
    ingredient.title = title;
    ingredient.format = 'audio/mpeg';
    ingredient.instanceID = `xmp:iid:${crypto.randomUUID()}`;
    return ingredient;
  });
  for (const ingredient of ingredients) manifest.addAssertion(ingredient);

  const actions = new ActionAssertion();
  actions.actions = [
    {
      action: ActionType.C2paCreated,
      digitalSourceType: (declaration.digitalSourceType ?? TRAINED_ALGORITHMIC_MEDIA) as DigitalSourceType,
      softwareAgent: { name: declaration.generator.name, ...(declaration.generator.version ? { version: declaration.generator.version } : {}) },
    },
    // Each componentOf ingredient is "placed" into the track by an action that points at it.
    ...ingredients.map((ingredient) => ({
      action: ActionType.C2paPlaced,
      parameters: { ingredients: [manifest.createAssertionReference(ingredient)] },
    })),
  ];
  manifest.addAssertion(actions);

  const dataHash = DataHashAssertion.create('SHA-256');
  manifest.addAssertion(dataHash);
  await asset.ensureManifestSpace(store.measureSize());
  await dataHash.updateWithAsset(asset);
  await manifest.sign(signer);
  await asset.writeManifestJUMBF(store.getBytes());
  return new Uint8Array(await asset.getDataRange());
}

/**
 * Encodes any audio ffmpeg reads as a deterministic constant-bit-rate MP3 with no tags. 256 kb/s:
 * at 96–160 kb/s the core loses the demo track's pitch-shifted, sped-up “Harbour Lights” (lossy
 * coding on top of a transform leaves too few triplet hits; see the README's Limits).
 */
export async function encodeMp3(inputPath: string, outputPath: string, bitrateKbps = 256): Promise<Uint8Array> {
  await mkdir(dirname(outputPath), { recursive: true });
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', inputPath, '-map_metadata', '-1', '-fflags', '+bitexact',
    '-flags:a', '+bitexact', '-id3v2_version', '0', '-write_xing', '0', '-c:a', 'libmp3lame', '-b:a', `${bitrateKbps}k`, outputPath]);
  return new Uint8Array(await readFile(outputPath));
}

/** The fixture the e2e test uses: the demo track, declared as AI-made with “Harbour Lights” as its one ingredient. */
export const DEMO_DECLARATION: C2paDeclaration = {
  generator: { name: 'Test Music AI', version: '2.1' },
  digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
  ingredients: ['Harbour Lights'],
  title: 'Demo AI track',
};

async function main(argv: string[]): Promise<void> {
  const ingredients: string[] = [];
  let generator: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--ingredient') ingredients.push(argv[++i]);
    else if (argv[i] === '--generator') generator = argv[++i];
    else paths.push(argv[i]);
  }
  const input = paths[0] ?? resolve(ROOT, 'public/demo/ai-track.opus');
  const output = paths[1] ?? resolve(ROOT, 'tests/fixtures/c2pa/demo-track.c2pa.mp3');
  const plain = input.toLowerCase().endsWith('.mp3') ? new Uint8Array(await readFile(input)) : await encodeMp3(input, output.replace(/(\.c2pa)?\.mp3$/, '.plain.mp3'));
  const declaration: C2paDeclaration = {
    ...DEMO_DECLARATION,
    ...(generator ? { generator: { name: generator } } : {}),
    ...(ingredients.length ? { ingredients } : {}),
  };
  const signed = await signMp3(plain, declaration);
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, signed);
  console.error(`${output}: ${signed.byteLength} bytes, C2PA manifest by “${declaration.generator.name}”, ingredients: ${declaration.ingredients.join(', ') || 'none'}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
