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
