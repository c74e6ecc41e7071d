import { createC2pa, type C2paSdk, type Settings } from '@contentauth/c2pa-web';
// Both files are served by the app itself (and precached): no CDN, and CSP stays 'self'.
import wasmUrl from '@contentauth/c2pa-web/resources/c2pa.wasm?url';
import workerUrl from '@contentauth/c2pa-web/c2pa_worker?url';
import { summariseManifestStore } from './summarise';
import type { C2paAudioFormat } from './format';
import type { ProvenanceRead } from './types';

// Reads C2PA content credentials with c2pa-web. Loaded lazily by read.ts. One SDK (a worker
// running c2pa-rs as WASM) is started on first use and stopped after a minute unused.

/**
 * Reading must not reach the network: no remote manifests, no OCSP, no identity look-ups. Trust
 * is checked (so a signature is reported as trusted only if it chains to an anchor), but
 * Tunetrace ships no trust list, so no signer is trusted. c2pa-web passes these settings to
 * c2pa-rs (camelCase → snake_case); the keys beyond its `Settings` type are c2pa-rs's own.
 */
const OFFLINE_SETTINGS = {
  verify: { verifyTrust: true, verifyAfterReading: true, remoteManifestFetch: false, ocspFetch: false },
  // CAWG identity assertions may name did:web identities, which c2pa-rs would resolve over https.
  // (c2pa-web turns arrays into maps on the way, so core.allowed_network_hosts cannot be set.)
  core: { decodeIdentityAssertions: false },
} as Settings;

const IDLE_MS = 60_000;

let sdk: Promise<C2paSdk> | null = null;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * c2pa-web loads its worker from a URL only if that URL is https: (else it falls back to a blob:
 * worker, which the app's CSP forbids). The worker file is the app's own, so it is as safe as the
 * page: a Worker must be same-origin anyway, and CSP `worker-src 'self'` enforces it. On a page
 * served over plain http in a secure context (http://localhost while developing and testing), the
 * URL is passed with its protocol reported as https:, and the Worker is still made from the real,
 * same-origin URL.
 */
function sameOriginWorkerUrl(href: string): URL {
  const url = new URL(href, location.href);
  if (url.origin !== location.origin) throw new Error('the C2PA worker must come from the app itself');
  if (url.protocol !== 'https:') {
    if (!isSecureContext) throw new Error('reading content credentials needs the app served over https');
    Object.defineProperty(url, 'protocol', { value: 'https:' });
  }
  return url;
}

function loadSdk(): Promise<C2paSdk> {
  sdk ??= createC2pa({ wasmSrc: wasmUrl, workerSrc: sameOriginWorkerUrl(workerUrl), settings: OFFLINE_SETTINGS }).catch((e) => {
    sdk = null;
    throw new Error(`the C2PA reader could not be started (${e instanceof Error ? e.message : String(e)})`);
  });
  return sdk;
}

function disposeWhenIdle(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    const current = sdk;
    sdk = null;
    void current?.then((s) => s.dispose(), () => undefined);
  }, IDLE_MS);
}

export async function readContentCredentials(file: Blob, format: C2paAudioFormat): Promise<ProvenanceRead> {
  clearTimeout(idleTimer);
  try {
    const c2pa = await loadSdk();
    const reader = await c2pa.reader.fromBlob(format, file);
    if (!reader) return { status: 'none', reason: 'no-manifest', format };
    try {
      const declared = summariseManifestStore(await reader.manifestStore());
      if (!declared) return { status: 'error', message: 'The file carries a C2PA manifest store without an active manifest, so there is nothing it declares.' };
      return { status: 'declared', declared };
    } finally {
      await reader.free();
    }
  } finally {
    disposeWhenIdle();
  }
}
