/**
 * Scrolls `el` into view when its top is not on screen: a result or an error that appears below
 * the fold (the demo's result on a laptop starts near the bottom of the first screen) would
 * otherwise look as if nothing had happened.
 */
export function revealIfHidden(el: HTMLElement): void {
  const top = el.getBoundingClientRect().top;
  if (top >= 0 && top < window.innerHeight - 120) return;
  const reduce = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  el.scrollIntoView({ behavior: reduce ? 'auto' : 'smooth', block: 'start' });
}
