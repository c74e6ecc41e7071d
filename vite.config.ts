import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * c2pa-web's WASM (c2pa-rs, 8.3 MB in 0.13.1), loaded only when a checked file can carry content
 * credentials, is the one file above workbox's 2 MiB precache limit. The limit follows its size,
 * so reading credentials works offline and nothing else that large slips into the precache.
 */
const C2PA_WASM_BYTES = statSync(createRequire(import.meta.url).resolve('@contentauth/c2pa-web/resources/c2pa.wasm')).size;

/**
 * The Content Security Policy of the built app: code only from the app's own origin, and no
 * request anywhere else, so that even a future bug cannot send a catalog away.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // No inline script and no eval; 'wasm-unsafe-eval' allows compiling WebAssembly, nothing else.
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  // The checked track plays from an object URL of the dropped file.
  "media-src 'self' blob:",
  "img-src 'self' data:",
  "font-src 'self'",
  // Style attributes stay forbidden (Svelte's style: directives and wavesurfer write through
  // CSSOM, which CSP does not govern), but <style> elements must be allowed inline: wavesurfer.js 7
  // builds its shadow root with one. CSS cannot run script, and with img-src, font-src and
  // connect-src limited to 'self' it cannot exfiltrate anything either.
  "style-src 'self'",
  "style-src-elem 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "manifest-src 'self'",
].join('; ');

/** Puts the CSP into the built index.html only: the dev server's HMR needs inline script and a websocket. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'tunetrace:csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
      ],
    },
  };
}

export default defineConfig({
  plugins: [
    svelte(),
    contentSecurityPolicy(),
    VitePWA({
      // A plain <script src="registerSW.js" defer>: no inline script, and no reload forced on a
      // running page; with skipWaiting + clientsClaim a new version serves the next load.
      injectRegister: 'script-defer',
      registerType: 'autoUpdate',
      includeAssets: ['favicon.svg'],
      manifest: {
        name: 'Tunetrace',
        short_name: 'Tunetrace',
        description: 'Find your works inside AI-made tracks, privately, in your browser.',
        lang: 'en',
        start_url: '.',
        scope: '.',
        display: 'standalone',
        background_color: '#f6f4ef',
        theme_color: '#14213d',
        icons: [
          { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app, its workers, the WASM core and the bundled demo (opus + manifest.json): the
        // whole app works offline after one load. Source maps are left to the network.
        globPatterns: ['**/*.{html,js,css,wasm,svg,png,webmanifest}', 'demo/**/*.{opus,json}'],
        clientsClaim: true,
        skipWaiting: true,
        cleanupOutdatedCaches: true,
        navigateFallback: 'index.html',
        maximumFileSizeToCacheInBytes: Math.max(2 * 1024 * 1024, C2PA_WASM_BYTES),
      },
    }),
  ],
  worker: { format: 'es' },
  // TT_DIST moves the build (and what `vite preview` serves), for parallel e2e runs.
  build: { target: 'es2022', sourcemap: true, outDir: process.env.TT_DIST ?? 'dist' },
  server: { port: 5173 },
  preview: { port: 4173, strictPort: true },
});
