import type { CatalogLoadProgress } from '../engine/load-catalog';
import type { PendingWorks } from '../state/catalog.svelte';

/** m:ss.s */
export function formatTime(sec: number): string {
  const m = Math.floor(sec / 60);
  const s = sec - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}

/** m:ss */
export function formatDuration(sec: number): string {
  const m = Math.floor(sec / 60);
  const s = Math.round(sec - m * 60);
  return `${m}:${String(s).padStart(2, '0')}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

export function formatPercent(x: number, digits = 0): string {
  return `${(x * 100).toFixed(digits)} %`;
}

export function formatConfidence(c: number): string {
  if (c >= 0.9995) return '> 99.9 %';
  return `${(c * 100).toFixed(1)} %`;
}

/** Okabe–Ito: distinguishable with the common kinds of colour blindness. */
export const WORK_COLOURS = ['#E69F00', '#0072B2', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#F0E442'];

export function colourFor(index: number): string {
  return WORK_COLOURS[index % WORK_COLOURS.length];
}

/** A CSS width for a proportion 0..1. */
export function cssPercent(x: number): string {
  return `${Math.max(0, Math.min(1, x)) * 100}%`;
}

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Near-black or white, whichever reads better on `background` (#rrggbb): Okabe–Ito blue needs white. */
export function textColourOn(background: string): string {
  const l = luminance(background);
  const onDark = 1.05 / (l + 0.05); // contrast of white
  const onLight = (l + 0.05) / (luminance('#111111') + 0.05);
  return onDark > onLight ? '#ffffff' : '#111111';
}

/** How far the matcher's load is: "4,200 of 10,000 works read", or the share of the stored index read. */
export function formatIndexLoad(p: CatalogLoadProgress): string {
  if (p.source === 'features') return `${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')} works read`;
  return `${formatPercent(p.total > 0 ? p.done / p.total : 1)} of the stored index read`;
}

/** What a check waits for while the catalog's own works are still being stored. */
export function formatPendingWorks(p: PendingWorks): string {
  const count = `${p.finished.toLocaleString('en')} of ${p.total.toLocaleString('en')}`;
  return p.reason === 'demo'
    ? `Adding the demo works to your catalog first (${count}), so the check compares with all of them…`
    : `Updating your catalog's works for this version of Tunetrace first (${count}), so the check compares with all of them…`;
}
