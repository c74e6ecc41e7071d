import { DIGITAL_SOURCE_TYPE_LABELS } from './summarise';
import type { DeclaredProvenance, ProvenanceRead, SignatureState } from './types';

// The words the Check screen and the printable report use for a file's credentials, in one place.

export const NO_CREDENTIALS = 'This file carries no content credentials (C2PA).';

/** Why there are none, when the container cannot hold them; '' when it could but does not. */
export function noCredentialsDetail(read: Extract<ProvenanceRead, { status: 'none' }>): string {
  return read.reason === 'unsupported-format'
    ? `C2PA defines no place for them in ${read.format} files (among audio files only WAV, MP3 and M4A/MP4 can carry them), so none could be read.`
    : '';
}

export const SIGNATURE_LABELS: Record<SignatureState, string> = {
  trusted: 'Signature valid, signer trusted',
  untrusted: 'Signature valid, signer not trusted',
  invalid: 'Validation failed',
};

export const SIGNATURE_EXPLANATIONS: Record<SignatureState, string> = {
  trusted: 'The credentials are intact and the signer’s certificate chains to a trusted authority.',
  untrusted: 'The credentials are intact since signing, but the certificate is not on any trust list Tunetrace has (it ships none): a self-signed or test certificate looks like this, and so does any other. Who signed is not vouched for.',
  invalid: 'A signature or hash check failed: the file or its credentials were changed after signing, or the credentials are not built correctly. Treat the declarations as unverified.',
};

export function aiUseText(ai: DeclaredProvenance['ai']): string {
  const lead = { generated: 'AI-generated', 'partly-generated': 'Partly AI-generated', 'not-ai': 'Not AI-generated', 'not-declared': 'Not declared' }[ai.use];
  const types = ai.digitalSourceTypes.map((t) => `${t}${DIGITAL_SOURCE_TYPE_LABELS[t] ? ` (${DIGITAL_SOURCE_TYPE_LABELS[t]})` : ''}`);
  return types.length ? `${lead}: ${types.join('; ')}` : lead;
}

export function signerText(d: DeclaredProvenance): string {
  if (!d.signer) return 'unknown';
  const who = d.signer.commonName || 'unnamed certificate';
  return d.signer.issuer ? `${who} (issued by ${d.signer.issuer})` : who;
}

/** A c2pa-rs error (“C2pa(Kind(…detail…))”) or any other, as the end of a sentence. */
export function describeC2paError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const c2pa = /^C2pa\((\w+)(?:\((.*)\))?\)$/s.exec(message);
  if (c2pa) return `they are malformed (${c2pa[1]}${c2pa[2] ? `: ${c2pa[2].replace(/^"|"$/g, '')}` : ''})`;
  return message.replace(/\.$/, '');
}
