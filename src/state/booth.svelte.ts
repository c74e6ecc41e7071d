import type { ListenState } from './listen.svelte';

// Booth mode: a full-screen live-listening view for a stand. While it is on, the app's other
// screens (and so any way to edit or delete the catalog) are out of reach: the lock survives a
// reload or the Back button (sessionStorage, this tab only), and only a deliberate action, holding
// Esc or the discreet Leave button for EXIT_HOLD_MS, lifts it.

export const BOOTH_HASH = '#/booth';
/** Seconds with no work recognised after which the booth goes back to its start screen. */
export const BOOTH_IDLE_SEC = 60;
/** How long Leave (or Esc) must be held. */
export const EXIT_HOLD_MS = 2000;
const LOCK_KEY = 'tunetrace.booth';

export function isBoothHash(hash: string): boolean {
  return hash === BOOTH_HASH || hash.startsWith(`${BOOTH_HASH}?`);
}

/** `#/booth?idle=SECONDS` shortens the reset (for rehearsals and tests); anything else gives the default. */
export function idleSecFromHash(hash: string): number {
  const value = Number(new URLSearchParams(hash.split('?')[1] ?? '').get('idle'));
  return Number.isFinite(value) && value >= 5 ? value : BOOTH_IDLE_SEC;
}

export function boothLocked(): boolean {
  try {
    return sessionStorage.getItem(LOCK_KEY) === '1';
  } catch {
    return false;
  }
}

function setLocked(on: boolean): void {
  try {
    if (on) sessionStorage.setItem(LOCK_KEY, '1');
    else sessionStorage.removeItem(LOCK_KEY);
  } catch {
    // Without sessionStorage the lock holds until a reload; the view itself still offers no edits.
  }
}

export class BoothState {
  #nowMs = $state(performance.now());
  #holdStartMs = $state<number | null>(null);
  #timer?: ReturnType<typeof setInterval>;

  constructor(
    readonly listen: ListenState,
    readonly idleSec: number,
    private readonly onExit: () => void,
  ) {}

  get screen(): 'start' | 'live' {
    return this.listen.active ? 'live' : 'start';
  }

  /** Seconds left before the reset, while listening. */
  get resetInSec(): number {
    // Not while the microphone is being opened: a permission prompt may take the visitor a while.
    if (this.listen.status !== 'listening') return this.idleSec;
    return Math.max(0, this.idleSec - (this.#nowMs - this.listen.lastFoundAtMs) / 1000);
  }

  /** 0..1 while Leave is being held. */
  get exitProgress(): number {
    return this.#holdStartMs === null ? 0 : Math.min(1, (this.#nowMs - this.#holdStartMs) / EXIT_HOLD_MS);
  }

  /** Locks the app in the booth and starts the clock for the reset and the Leave hold. */
  enter(): void {
    setLocked(true);
    this.#timer ??= setInterval(() => this.#tick(), 100);
  }

  /** The view goes away (the lock stays unless leave() lifted it). */
  dispose(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.listen.reset();
  }

  start(): void {
    void this.listen.start();
  }

  /** Back to the start screen: stops listening and forgets the result. */
  reset(): void {
    this.listen.reset();
  }

  beginHold(): void {
    this.#holdStartMs ??= performance.now();
    this.#nowMs = performance.now();
  }

  cancelHold(): void {
    this.#holdStartMs = null;
  }

  #tick(): void {
    this.#nowMs = performance.now();
    if (this.#holdStartMs !== null && this.#nowMs - this.#holdStartMs >= EXIT_HOLD_MS) {
      this.#holdStartMs = null;
      this.#leave();
      return;
    }
    if (this.listen.status === 'listening' && this.resetInSec <= 0) this.reset();
  }

  #leave(): void {
    setLocked(false);
    this.listen.reset();
    this.onExit();
  }
}
