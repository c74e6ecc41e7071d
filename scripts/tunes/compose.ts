/**
 * Seeded procedural composer. `composeTune(seed, style)` returns a `Song` as plain
 * data: every note has start/duration in seconds, pitch, velocity, GM program,
 * MIDI channel and the part it belongs to, so callers can render any subset of
 * parts (e.g. only the melody), transposed, re-timed or re-instrumented
 * (see `renderMidi` in ./render.ts).
 *
 * Deterministic: the same (seed, style, options) always gives the same Song.
 */

export const STYLES = [
  'piano-ballad',
  'synth-pop',
  'folk-guitar',
  'strings',
  'mallets',
  'rock-organ',
  'jazz',
  'chiptune',
  'bossa',
  'ambient',
] as const;
export type Style = (typeof STYLES)[number];

export type Part = 'melody' | 'counter' | 'chords' | 'bass' | 'drums';
export const PARTS: readonly Part[] = ['melody', 'counter', 'chords', 'bass', 'drums'];

export interface Note {
  part: Part;
  /** seconds from song start */
  start: number;
  /** seconds */
  dur: number;
  /** MIDI note number (for drums: GM percussion key) */
  pitch: number;
  /** 1..127 */
  velocity: number;
  /** 0..15 (9 = GM drums) */
  channel: number;
  /** GM program 0..127 (ignored for drums) */
  program: number;
}

export interface PartInfo {
  part: Part;
  channel: number;
  program: number;
  /** MIDI CC7 channel volume */
  volume: number;
  /** MIDI CC10 pan */
  pan: number;
}

export interface Section {
  name: string;
  startSec: number;
  endSec: number;
}

export interface Song {
  seed: number;
  style: Style;
  bpm: number;
  /** pitch class of the tonic, 0 = C */
  tonic: number;
  mode: 'major' | 'minor';
  beatsPerBar: number;
  barSec: number;
  /** total length including the release tail of the final chord */
  durationSec: number;
  sections: Section[];
  parts: PartInfo[];
  /** sorted by start time */
  notes: Note[];
}

export interface ComposeOptions {
  /** approximate target duration in seconds (default 32) */
  targetSec?: number;
}

// ---------------------------------------------------------------- PRNG

/** mulberry32 — small, fast, deterministic across platforms. */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    range: (lo, hi) => lo + next() * (hi - lo),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
    weighted: (items) => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [v, w] of items) {
        r -= w;
        if (r < 0) return v;
      }
      return items[items.length - 1][0];
    },
  };
}

export interface Rng {
  next(): number;
  int(lo: number, hi: number): number;
  range(lo: number, hi: number): number;
  pick<T>(arr: readonly T[]): T;
  chance(p: number): boolean;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
}

// ---------------------------------------------------------------- styles

type ChordPattern = 'pad' | 'arp' | 'arp16' | 'stabs' | 'comp' | 'strum' | 'bossa';
type BassPattern = 'half' | 'root-fifth' | 'eighths' | 'walking' | 'whole' | 'bossa' | 'octaves';
type DrumPattern = 'none' | 'ballad' | 'pop' | 'rock' | 'jazz' | 'bossa' | 'light' | 'chip';

interface StyleDef {
  bpm: [number, number];
  modes: ('major' | 'minor')[];
  melody: number[];
  counter?: number[];
  chords: number[];
  bass: number[];
  chordPattern: ChordPattern[];
  bassPattern: BassPattern[];
  drums: DrumPattern[];
  /** probability of sevenths in chords */
  sevenths: number;
  swing: boolean;
  /** melody rhythm density 0..1 */
  density: number;
  melodyOctave: number;
}

const STYLE_DEFS: Record<Style, StyleDef> = {
  'piano-ballad': {
    bpm: [70, 88], modes: ['major', 'minor'], melody: [0, 1], chords: [0], bass: [32, 0],
    chordPattern: ['arp', 'pad'], bassPattern: ['half', 'whole'], drums: ['none', 'ballad'],
    sevenths: 0.2, swing: false, density: 0.35, melodyOctave: 72,
  },
  'synth-pop': {
    bpm: [108, 128], modes: ['major', 'minor'], melody: [80, 81, 84], counter: [88], chords: [89, 90, 50],
    bass: [38, 39], chordPattern: ['stabs', 'pad'], bassPattern: ['eighths', 'octaves'], drums: ['pop'],
    sevenths: 0.1, swing: false, density: 0.6, melodyOctave: 72,
  },
  'folk-guitar': {
    bpm: [88, 120], modes: ['major'], melody: [73, 22, 40, 71], chords: [25, 24], bass: [32],
    chordPattern: ['strum', 'arp'], bassPattern: ['root-fifth'], drums: ['none', 'light'],
    sevenths: 0, swing: false, density: 0.55, melodyOctave: 72,
  },
  strings: {
    bpm: [70, 96], modes: ['minor', 'major'], melody: [40, 68, 60], counter: [42], chords: [48, 49],
    bass: [43, 42], chordPattern: ['pad'], bassPattern: ['whole', 'half'], drums: ['none'],
    sevenths: 0.1, swing: false, density: 0.35, melodyOctave: 72,
  },
  mallets: {
    bpm: [96, 124], modes: ['major', 'minor'], melody: [12, 11, 13], chords: [46, 108], bass: [33, 32],
    chordPattern: ['arp', 'arp16'], bassPattern: ['half', 'root-fifth'], drums: ['light', 'none'],
    sevenths: 0.3, swing: false, density: 0.6, melodyOctave: 72,
  },
  'rock-organ': {
    bpm: [116, 145], modes: ['minor', 'major'], melody: [29, 30, 18], chords: [18, 16], bass: [34, 33],
    chordPattern: ['stabs', 'pad'], bassPattern: ['eighths'], drums: ['rock'],
    sevenths: 0, swing: false, density: 0.55, melodyOctave: 67,
  },
  jazz: {
    bpm: [100, 150], modes: ['major', 'minor'], melody: [65, 66, 56, 26], chords: [4, 0, 5], bass: [32],
    chordPattern: ['comp'], bassPattern: ['walking'], drums: ['jazz'],
    sevenths: 1, swing: true, density: 0.6, melodyOctave: 70,
  },
  chiptune: {
    bpm: [128, 150], modes: ['major', 'minor'], melody: [80], counter: [81], chords: [80, 81], bass: [38],
    chordPattern: ['arp16'], bassPattern: ['octaves', 'eighths'], drums: ['chip'],
    sevenths: 0, swing: false, density: 0.75, melodyOctave: 76,
  },
  bossa: {
    bpm: [118, 140], modes: ['major', 'minor'], melody: [73, 65, 11], chords: [24, 4], bass: [32],
    chordPattern: ['bossa'], bassPattern: ['bossa'], drums: ['bossa'],
    sevenths: 0.9, swing: false, density: 0.5, melodyOctave: 72,
  },
  ambient: {
    bpm: [70, 84], modes: ['major', 'minor'], melody: [8, 10, 98, 14], counter: [52], chords: [88, 89, 91, 95],
    bass: [38, 89], chordPattern: ['pad', 'arp'], bassPattern: ['whole'], drums: ['none'],
    sevenths: 0.5, swing: false, density: 0.3, melodyOctave: 74,
  },
};

const SCALES = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
};

/** 4-bar progressions as scale-degree roots (0 = I). */
const PROGRESSIONS = {
  major: [
    [0, 4, 5, 3], [5, 3, 0, 4], [0, 5, 3, 4], [0, 3, 4, 3], [3, 0, 4, 5], [0, 3, 5, 4],
    [1, 4, 0, 5], [0, 2, 3, 4], [5, 4, 3, 4], [0, 4, 3, 0],
  ],
  minor: [
    [0, 5, 2, 6], [0, 3, 4, 0], [0, 6, 5, 6], [0, 3, 6, 2], [5, 6, 0, 0], [0, 5, 3, 4],
    [3, 4, 0, 0], [0, 2, 5, 4],
  ],
};
const JAZZ_PROGRESSIONS = [
  [1, 4, 0, 0], [1, 4, 0, 5], [0, 5, 1, 4], [2, 5, 1, 4], [3, 6, 2, 5],
];

/** rhythm cells for one 4-beat bar: positive = note (beats), negative = rest */
const RHYTHMS_SPARSE = [
  [2, 2], [3, 1], [1, 1, 2], [2, 1, 1], [1.5, 0.5, 2], [4], [-1, 1, 2], [1, -1, 1, 1], [2, -1, 1],
];
const RHYTHMS_MEDIUM = [
  [1, 1, 1, 1], [1.5, 0.5, 1, 1], [1, 0.5, 0.5, 2], [0.5, 0.5, 1, 2], [1, 1, 0.5, 0.5, 1],
  [-0.5, 0.5, 1, 1, 1], [1.5, 1.5, 1], [0.5, 1, 0.5, 2], [2, 0.5, 0.5, 1],
];
const RHYTHMS_DENSE = [
  [0.5, 0.5, 0.5, 0.5, 1, 1], [0.5, 0.5, 1, 0.5, 0.5, 1], [0.75, 0.75, 0.5, 1, 1],
  [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1], [1, 0.5, 0.5, 0.5, 0.5, 1], [-0.5, 0.5, 0.5, 0.5, 1, 1],
  [0.25, 0.25, 0.5, 1, 0.5, 0.5, 1],
];
const RHYTHM_ENDINGS = [[2, 2], [1, 3], [3, -1], [1, 1, 2], [4]];

// ---------------------------------------------------------------- composer

const CH = { melody: 0, counter: 1, chords: 2, bass: 3, drums: 9 } as const;

export function composeTune(seed: number, style: Style, opts: ComposeOptions = {}): Song {
  const def = STYLE_DEFS[style];
  if (!def) throw new Error(`unknown style ${style}`);
  // mix the style into the seed so equal seeds of different styles differ
  let styleHash = 0;
  for (const c of style) styleHash = (Math.imul(styleHash, 31) + c.charCodeAt(0)) >>> 0;
  const rng = makeRng((seed ^ styleHash) >>> 0);
  const targetSec = opts.targetSec ?? 32;

  const mode = rng.pick(def.modes);
  const scale = SCALES[mode];
  const tonic = rng.int(0, 11);
  const bpm = rng.int(def.bpm[0], def.bpm[1]);
  const beat = 60 / bpm;
  const beatsPerBar = 4;
  const barSec = beat * beatsPerBar;
  const swing = def.swing;

  const parts: PartInfo[] = [
    { part: 'melody', channel: CH.melody, program: rng.pick(def.melody), volume: 112, pan: 64 },
    { part: 'chords', channel: CH.chords, program: rng.pick(def.chords), volume: 78, pan: rng.int(40, 88) },
    { part: 'bass', channel: CH.bass, program: rng.pick(def.bass), volume: 100, pan: 64 },
  ];
  const useCounter = !!def.counter && rng.chance(0.6);
  if (useCounter) parts.push({ part: 'counter', channel: CH.counter, program: rng.pick(def.counter!), volume: 70, pan: rng.int(30, 98) });
  const drumStyle = rng.pick(def.drums);
  if (drumStyle !== 'none') parts.push({ part: 'drums', channel: CH.drums, program: 0, volume: 92, pan: 64 });
  const prog = (p: Part) => parts.find((x) => x.part === p)!.program;

  const chordPattern = rng.pick(def.chordPattern);
  const bassPattern = rng.pick(def.bassPattern);

  // progression for sections A and B
  const progPool = style === 'jazz' ? JAZZ_PROGRESSIONS : PROGRESSIONS[mode];
  const progA = rng.pick(progPool);
  let progB = rng.pick(progPool);
  for (let i = 0; i < 4 && progB === progA; i++) progB = rng.pick(progPool);
  const progs: Record<string, number[]> = { A: progA, B: progB };

  // form: optional 2-bar intro, then sections of 4 bars
  const intro = rng.chance(0.5) ? 2 : 0;
  const sectionsNeeded = Math.max(2, Math.round((targetSec / barSec - intro - 1) / 4));
  const formPool = ['A', 'A', 'B', 'A', 'B', 'B', 'A', 'A', 'B', 'A', 'B', 'A'];
  const form = formPool.slice(0, sectionsNeeded);
  if (form.length >= 2 && form[form.length - 1] !== 'A') form[form.length - 1] = 'A';

  const tonicMidi = def.melodyOctave - ((def.melodyOctave % 12) - tonic + 12) % 12; // tonic at or below octave root
  const degToPitch = (deg: number, base: number) => {
    const o = Math.floor(deg / 7);
    const d = ((deg % 7) + 7) % 7;
    return base + 12 * o + scale[d];
  };

  const notes: Note[] = [];
  const add = (part: Part, start: number, dur: number, pitch: number, velocity: number) => {
    const info = parts.find((p) => p.part === part);
    if (!info) return;
    notes.push({
      part, start: round6(start), dur: round6(Math.max(0.03, dur)), pitch: Math.round(pitch),
      velocity: clamp(Math.round(velocity), 1, 127), channel: info.channel, program: info.program,
    });
  };
  const beatTime = (bar: number, b: number) => {
    let bb = b;
    if (swing) {
      const frac = b - Math.floor(b);
      if (Math.abs(frac - 0.5) < 1e-6) bb = Math.floor(b) + 0.66;
    }
    return (bar + bb / beatsPerBar) * barSec;
  };
  const humanize = (t: number) => t + rng.range(-0.008, 0.008);

  // ---- melody phrases: one per section type, reused on repetition
  const rhythmPool = def.density < 0.4 ? [RHYTHMS_SPARSE, RHYTHMS_MEDIUM] : def.density < 0.6 ? [RHYTHMS_MEDIUM, RHYTHMS_SPARSE, RHYTHMS_DENSE] : [RHYTHMS_DENSE, RHYTHMS_MEDIUM];
  const pickRhythm = () => rng.pick(rng.chance(0.7) ? rhythmPool[0] : rhythmPool[rhythmPool.length - 1]);

  interface MNote { beat: number; len: number; deg: number }
  const chordDegs = (root: number, seventh: boolean) => (seventh ? [root, root + 2, root + 4, root + 6] : [root, root + 2, root + 4]);
  const nearestChordTone = (deg: number, root: number) => {
    let best = deg;
    let bestD = 99;
    for (let o = -14; o <= 14; o += 7) for (const c of [root, root + 2, root + 4]) {
      const d = Math.abs(c + o - deg);
      if (d < bestD) { bestD = d; best = c + o; }
    }
    return best;
  };

  const makePhrase = (progression: number[], final: boolean, startDeg: number): MNote[][] => {
    const r1 = pickRhythm();
    const r2 = pickRhythm();
    const bars = [r1, r2, rng.chance(0.7) ? r1 : pickRhythm(), rng.pick(RHYTHM_ENDINGS)];
    let deg = startDeg;
    const out: MNote[][] = [];
    let motifSteps: number[] | null = null;
    for (let bar = 0; bar < 4; bar++) {
      const root = progression[bar];
      const bnotes: MNote[] = [];
      let pos = 0;
      const rhythm = bars[bar];
      const steps: number[] = [];
      rhythm.forEach((len, i) => {
        const l = Math.abs(len);
        if (len > 0) {
          let step: number;
          if (bar === 2 && motifSteps && i < motifSteps.length && bars[2] === bars[0]) step = motifSteps[i]; // sequence the motif
          else step = rng.weighted([[-2, 1], [-1, 3], [0, 1.2], [1, 3], [2, 1.2], [3, 0.6], [-3, 0.6], [4, 0.3], [-4, 0.3]] as const);
          steps.push(step);
          deg += step;
          const strong = Math.abs(pos - Math.round(pos)) < 1e-6 && (pos === 0 || pos === 2);
          if (strong || l >= 2) deg = nearestChordTone(deg, root);
          if (deg > 11) deg -= 7;
          if (deg < -2) deg += 7;
          bnotes.push({ beat: pos, len: l, deg });
        }
        pos += l;
      });
      if (bar === 0) motifSteps = steps;
      out.push(bnotes);
    }
    const last = out[3][out[3].length - 1];
    if (final && last) last.deg = Math.round(last.deg / 7) * 7; // cadence on the tonic
    return out;
  };

  const phrases: Record<string, MNote[][]> = {
    A: makePhrase(progA, false, rng.int(0, 4)),
    B: makePhrase(progB, false, rng.int(2, 6)),
  };
  const finalA = makePhrase(progA, true, phrases.A[0][0]?.deg ?? 0);
  // final phrase: keep first 3 bars of A, new cadence
  finalA.splice(0, 3, ...phrases.A.slice(0, 3));

  // ---- build timeline
  const sections: Section[] = [];
  let bar = 0;
  const chordRoots: { bar: number; root: number; seventh: boolean }[] = [];
  if (intro) {
    sections.push({ name: 'intro', startSec: 0, endSec: intro * barSec });
    for (let i = 0; i < intro; i++) chordRoots.push({ bar: bar + i, root: progA[i % 4], seventh: rng.chance(def.sevenths) });
    bar += intro;
  }
  const sevenMask = [0, 1, 2, 3].map(() => rng.chance(def.sevenths));
  const sevenMaskB = [0, 1, 2, 3].map(() => rng.chance(def.sevenths));
  const seen: Record<string, number> = {};
  form.forEach((name, si) => {
    const isLast = si === form.length - 1;
    const count = (seen[name] = (seen[name] ?? 0) + 1);
    sections.push({ name: `${name}${count}`, startSec: bar * barSec, endSec: (bar + 4) * barSec });
    const phrase = isLast && name === 'A' ? finalA : phrases[name];
    const progression = progs[name];
    for (let b = 0; b < 4; b++) {
      chordRoots.push({ bar: bar + b, root: progression[b], seventh: (name === 'A' ? sevenMask : sevenMaskB)[b] });
      const vel = 96 + (count > 1 ? 4 : 0);
      for (const n of phrase[b]) {
        const accent = n.beat === 0 ? 8 : n.beat === 2 ? 4 : 0;
        const start = beatTime(bar + b, n.beat);
        const end = beatTime(bar + b, n.beat + n.len);
        add('melody', humanize(start), (end - start) * 0.92, degToPitch(n.deg, tonicMidi), vel + accent + rng.int(-6, 6));
      }
      // counter-melody: long chord tones a third/sixth below, on section repeats
      if (useCounter && count > 1) {
        const root = progression[b];
        const deg = nearestChordTone(root + 2, root);
        add('counter', beatTime(bar + b, 0), barSec * 0.98, degToPitch(deg, tonicMidi - 12), 70);
      }
    }
    bar += 4;
  });
  // final tonic chord bar
  const endBar = bar;
  chordRoots.push({ bar: endBar, root: 0, seventh: false });
  const tailSec = 1.5;

  // ---- chords
  const chordProg = prog('chords');
  void chordProg;
  let prevVoicing: number[] = [];
  const voice = (root: number, seventh: boolean): number[] => {
    const pcs = chordDegs(root, seventh).map((d) => degToPitch(d, tonic) % 12);
    // choose inversion in [54, 74) closest to previous
    const candidates: number[][] = [];
    for (let lo = 52; lo <= 64; lo++) {
      const v = pcs.map((pc) => {
        let p = lo + ((pc - lo) % 12 + 12) % 12;
        return p;
      }).sort((a, b) => a - b);
      candidates.push(v);
    }
    let best = candidates[0];
    let bestCost = Infinity;
    for (const c of candidates) {
      const cost = prevVoicing.length ? c.reduce((s, p, i) => s + Math.abs(p - (prevVoicing[i] ?? p)), 0) : Math.abs(c[0] - 58);
      if (cost < bestCost) { bestCost = cost; best = c; }
    }
    prevVoicing = best;
    return best;
  };
  for (const { bar: cb, root, seventh } of chordRoots) {
    const v = voice(root, seventh);
    const isEnd = cb === endBar;
    const t0 = cb * barSec;
    if (isEnd) {
      for (const p of v) add('chords', t0, barSec * 0.9 + tailSec * 0.5, p, 70);
      continue;
    }
    switch (chordPattern) {
      case 'pad':
        for (const p of v) add('chords', t0, barSec * 0.99, p, 62);
        break;
      case 'arp': {
        const seq = [...v, v[1] + 12, v[2] + 12, ...(v.length > 3 ? [v[3]] : [v[0] + 12])];
        for (let i = 0; i < 8; i++) {
          const p = seq[i < 4 ? i : 7 - i + (i === 7 ? 0 : 0)] ?? v[0];
          add('chords', humanize(beatTime(cb, i * 0.5)), beat * 0.9, p, 58 + (i % 2 ? 0 : 6));
        }
        break;
      }
      case 'arp16': {
        const seq = [v[0], v[1], v[2], v[1] + 12 > 84 ? v[1] : v[0] + 12];
        for (let i = 0; i < 16; i++) add('chords', t0 + i * beat * 0.25, beat * 0.22, seq[i % 4], 52 + (i % 4 === 0 ? 8 : 0));
        break;
      }
      case 'stabs':
        for (let i = 0; i < 8; i++) {
          if (i % 2 === 0 && rng.chance(0.5)) continue;
          for (const p of v) add('chords', beatTime(cb, i * 0.5), beat * 0.35, p, 60);
        }
        break;
      case 'comp': {
        const hits = rng.pick([[1, 2.5], [0.5, 2, 3.5], [1.5, 3], [0, 1.5, 3]]);
        for (const h of hits) for (const p of v) add('chords', humanize(beatTime(cb, h)), beat * 0.6, p, 60);
        break;
      }
      case 'strum':
        for (let i = 0; i < 4; i++) {
          const down = i % 2 === 0;
          const order = down ? v : [...v].reverse();
          order.forEach((p, k) => add('chords', beatTime(cb, i) + k * 0.012, beat * 0.85, p, down ? 66 : 54));
          if (rng.chance(0.4)) order.forEach((p, k) => add('chords', beatTime(cb, i + 0.5) + k * 0.012, beat * 0.4, p, 48));
        }
        break;
      case 'bossa':
        for (const h of [0, 1.5, 2.5, 3.5]) for (const p of v) add('chords', beatTime(cb, h), beat * 0.7, p, 58);
        break;
    }
  }

  // ---- bass
  const bassBase = 36 + tonic;
  const bassPitch = (deg: number) => {
    let p = degToPitch(deg, bassBase);
    while (p > 52) p -= 12;
    while (p < 33) p += 12;
    return p;
  };
  chordRoots.forEach(({ bar: cb, root }, i) => {
    const r = bassPitch(root);
    const fifth = bassPitch(root + 4);
    const t0 = cb * barSec;
    if (cb === endBar) {
      add('bass', t0, barSec * 0.9, r, 90);
      return;
    }
    switch (bassPattern) {
      case 'half':
        add('bass', t0, beat * 1.9, r, 90);
        add('bass', beatTime(cb, 2), beat * 1.9, rng.chance(0.7) ? r : fifth, 84);
        break;
      case 'whole':
        add('bass', t0, barSec * 0.98, r, 88);
        break;
      case 'root-fifth':
        add('bass', t0, beat * 0.9, r, 92);
        add('bass', beatTime(cb, 2), beat * 0.9, fifth, 84);
        if (rng.chance(0.3)) add('bass', beatTime(cb, 3.5), beat * 0.4, bassPitch(root + 5), 70);
        break;
      case 'eighths':
        for (let k = 0; k < 8; k++) add('bass', beatTime(cb, k * 0.5), beat * 0.42, k === 6 && rng.chance(0.3) ? fifth : r, k % 2 ? 78 : 92);
        break;
      case 'octaves':
        for (let k = 0; k < 8; k++) add('bass', beatTime(cb, k * 0.5), beat * 0.4, k % 2 ? r + 12 : r, k % 2 ? 76 : 92);
        break;
      case 'walking': {
        const next = chordRoots[i + 1] ? bassPitch(chordRoots[i + 1].root) : r;
        const third = bassPitch(root + 2);
        const approach = next + (rng.chance(0.5) ? 1 : -1);
        [r, rng.chance(0.5) ? third : bassPitch(root + 1), fifth, approach].forEach((p, k) =>
          add('bass', humanize(beatTime(cb, k)), beat * 0.9, p, k === 0 ? 92 : 80));
        break;
      }
      case 'bossa':
        add('bass', t0, beat * 1.4, r, 90);
        add('bass', beatTime(cb, 1.5), beat * 0.45, fifth, 80);
        add('bass', beatTime(cb, 2), beat * 1.4, fifth, 84);
        add('bass', beatTime(cb, 3.5), beat * 0.45, r, 78);
        break;
    }
  });

  // ---- drums
  if (drumStyle !== 'none') {
    const KICK = 36, SNARE = 38, SIDE = 37, CHH = 42, OHH = 46, RIDE = 51, PEDAL = 44, CRASH = 49, SHAKER = 70, TOM_H = 50, TOM_M = 47, TOM_L = 45, CLAP = 39;
    // pattern: per 16th step list of [key, vel]
    const steps = (spec: Record<number, number[]>) => spec;
    let pat: Record<number, [number, number][]> = {};
    const put = (s: number, k: number, v: number) => ((pat[s] ??= []).push([k, v]));
    const extraKick = rng.int(0, 3);
    switch (drumStyle) {
      case 'rock':
        [0, 8].forEach((s) => put(s, KICK, 100));
        [4, 12].forEach((s) => put(s, SNARE, 100));
        for (let s = 0; s < 16; s += 2) put(s, CHH, s % 4 ? 62 : 78);
        put([6, 10, 11, 14][extraKick], KICK, 88);
        break;
      case 'pop':
        [0, 4, 8, 12].forEach((s) => put(s, KICK, 104));
        [4, 12].forEach((s) => put(s, rng.chance(0.5) ? CLAP : SNARE, 92));
        [2, 6, 10, 14].forEach((s) => put(s, rng.chance(0.7) ? OHH : CHH, 64));
        break;
      case 'chip':
        [0, 6, 8].forEach((s) => put(s, KICK, 100));
        [4, 12].forEach((s) => put(s, SNARE, 96));
        for (let s = 0; s < 16; s++) put(s, CHH, s % 2 ? 48 : 66);
        break;
      case 'ballad':
        [0, 10].forEach((s) => put(s, KICK, 80));
        [4, 12].forEach((s) => put(s, SIDE, 70));
        for (let s = 0; s < 16; s += 2) put(s, CHH, 48);
        break;
      case 'light':
        put(0, KICK, 76);
        put(8, KICK, 70);
        for (let s = 0; s < 16; s += 2) put(s, SHAKER, s % 4 ? 50 : 64);
        put(12, SIDE, 58);
        break;
      case 'jazz':
        [0, 4, 8, 12].forEach((s) => put(s, RIDE, 74));
        [6, 14].forEach((s) => put(s, RIDE, 60));
        [4, 12].forEach((s) => put(s, PEDAL, 60));
        put(0, KICK, 50);
        break;
      case 'bossa':
        [0, 6, 8, 14].forEach((s) => put(s, KICK, 78));
        [0, 6, 12, 20 - 16, 10].forEach((s) => put(s, SIDE, 64));
        for (let s = 0; s < 16; s++) put(s, SHAKER, s % 2 ? 44 : 58);
        break;
    }
    void steps;
    const firstBar = intro;
    for (let b = intro > 0 && rng.chance(0.5) ? intro : 0; b < endBar; b++) {
      const fill = (b - firstBar) % 8 === 7 && drumStyle !== 'jazz' && drumStyle !== 'light';
      for (let s = 0; s < 16; s++) {
        if (fill && s >= 12) continue;
        for (const [k, v] of pat[s] ?? []) {
          const sw = swing && s % 4 === 2 ? 0.66 : s / 4 - Math.floor(s / 4);
          add('drums', humanize((b + (Math.floor(s / 4) + sw) / 4) * barSec), 0.1, k, v + rng.int(-6, 6));
        }
      }
      if (fill) [TOM_H, TOM_H, TOM_M, TOM_L].forEach((k, i) => add('drums', (b + (12 + i) / 16) * barSec, 0.1, k, 90));
      if (b === firstBar || (b - firstBar) % 8 === 0) add('drums', b * barSec, 0.1, CRASH, 82);
    }
    add('drums', endBar * barSec, 0.1, CRASH, 90);
    add('drums', endBar * barSec, 0.1, KICK, 96);
  }

  // final melody note on the last bar (tonic)
  add('melody', endBar * barSec, barSec * 0.9, degToPitch(0, tonicMidi), 92);

  for (const n of notes) if (n.start < 0) { n.dur += n.start; n.start = 0; }
  notes.sort((a, b) => a.start - b.start || a.channel - b.channel || a.pitch - b.pitch);
  sections.push({ name: 'outro', startSec: endBar * barSec, endSec: (endBar + 1) * barSec });
  const durationSec = round6((endBar + 1) * barSec + tailSec);
  return { seed, style, bpm, tonic, mode, beatsPerBar, barSec, durationSec, sections, parts, notes };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

const NOTE_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
export function describeSong(s: Song): string {
  return `${s.style} seed=${s.seed} ${NOTE_NAMES[s.tonic]} ${s.mode} ${s.bpm} bpm ${s.durationSec.toFixed(1)} s, ${s.notes.length} notes`;
}
