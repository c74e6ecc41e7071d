/**
 * npm run bench:live — live-listening latency and main-thread long tasks, through the built app
 * in Chromium: for each demo work, Chromium's fake capture device plays the work with a small
 * pitch and tempo change under white noise; the bench presses Listen and measures the seconds
 * until the right work is named and stays named, and the longest main-thread task meanwhile.
 * Prints a table, median and worst, and writes bench/results/live.json.
 *
 * It builds nothing: run `npm run build` first (or `TT_DIST=dir npx vite build`, then
 * `TT_DIST=dir npm run bench:live`). It serves the build with `vite preview` on its own port.
 * Needs ffmpeg (decodes the demo's Opus), sox (pitch and tempo) and Chromium (CHROMIUM_PATH,
 * default /usr/bin/chromium).
 *
 *   npm run bench:live [-- --port 4182] [-- --snr 15] [-- --pitch-cents 50] [-- --tempo 1.03]
 *                      [-- --stable 3] [-- --timeout 20] [-- --only REGEX] [-- --trace DIR] [-- --screens DIR]
 *
 * --trace records a Chromium performance trace of each session into DIR and prints what ran in
 * every main-thread task over 50 ms (open a trace in DevTools' Performance panel for the rest);
 * --screens saves a screenshot of each session's end.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright';
import { CHROMIUM_LAUNCH } from '../playwright.config.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4182' },
    snr: { type: 'string', default: '15' },
    'pitch-cents': { type: 'string', default: '50' },
    tempo: { type: 'string', default: '1.03' },
    stable: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '20' },
    only: { type: 'string' },
    trace: { type: 'string' },
    screens: { type: 'string' },
  },
});
const PORT = Number(values.port);
const SNR_DB = Number(values.snr);
const PITCH_CENTS = Number(values['pitch-cents']);
const TEMPO = Number(values.tempo);
const STABLE_SEC = Number(values.stable);
const TIMEOUT_SEC = Number(values.timeout);
/** The Long Tasks API's threshold, and the target: no main-thread task longer. */
const LONG_TASK_MS = 50;
const CAPTURE_RATE_HZ = 48_000;

const log = (m: string) => process.stderr.write(m + '\n');
const ROOT = resolve(import.meta.dirname, '..');
const DIST = resolve(ROOT, process.env.TT_DIST ?? 'dist');

interface DemoWork { id: string; title: string; file: string; durationSec: number }
const demo = JSON.parse(readFileSync(join(ROOT, 'public/demo/manifest.json'), 'utf8')) as { works: DemoWork[] };

interface LongTask { startMs: number; durationMs: number; attribution: string }
interface WorkOutcome {
  id: string;
  title: string;
  /** Seconds from Listen to the start of the run of the right title that lasted STABLE_SEC; null: never. */
  latencySec: number | null;
  /** Seconds from Listen to the right title first shown (it may have gone again). */
  firstShownSec: number | null;
  /** Other works named during the session (false alarms). */
  wrongTitles: string[];
  checks: number;
  /** The longest main-thread task the Long Tasks API reported (it reports only tasks of 50 ms or more; 0: none). */
  longestTaskMs: number;
  /** With --trace: the longest main-thread task of the session in the trace, however short, and its longest CPU time. */
  longestTracedTaskMs?: number;
  longestTracedTaskCpuMs?: number;
  /** Main-thread tasks over LONG_TASK_MS from Listen to the end of the session. */
  longTasks: LongTask[];
  /** With --trace: what ran inside each long task. */
  taskBreakdown?: string[];
}

// ---- the audio the fake microphone plays -------------------------------------------------------

/** Seeded white noise (mulberry32), so every run plays the same input. */
function noiseSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function encodeWav16(samples: Float32Array, sampleRateHz: number): Buffer {
  const out = Buffer.alloc(44 + samples.length * 2);
  out.write('RIFF', 0);
  out.writeUInt32LE(36 + samples.length * 2, 4);
  out.write('WAVEfmt ', 8);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRateHz, 24);
  out.writeUInt32LE(sampleRateHz * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36);
  out.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32767))), 44 + i * 2);
  return out;
}

/** The work decoded (ffmpeg), pitch-shifted and sped up (sox), under white noise at SNR_DB. */
function liveWav(work: DemoWork, dir: string): string {
  const clean = join(dir, `${work.id}-clean.wav`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', join(ROOT, 'public/demo', work.file), '-ac', '1', '-ar', String(CAPTURE_RATE_HZ), clean]);
  // sox: -R repeatable, -D no dither; raw 32-bit float out. `pitch` keeps the tempo, `tempo` the pitch.
  const raw = execFileSync('sox', ['-R', '-D', '-V1', clean, '-t', 'f32', '-c', '1', '-r', String(CAPTURE_RATE_HZ), '-', 'pitch', String(PITCH_CENTS), 'tempo', String(TEMPO)], {
    maxBuffer: 256 * 2 ** 20,
  });
  const music = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  let energy = 0;
  for (const v of music) energy += v * v;
  const noiseRms = Math.sqrt(energy / music.length) / 10 ** (SNR_DB / 20);
  const next = noiseSource(0x5eed);
  const a = noiseRms * Math.sqrt(3); // uniform on [−a, a] has RMS a/√3
  let peak = 0;
  const mixed = music.map((v) => {
    const x = v + (2 * next() - 1) * a;
    peak = Math.max(peak, Math.abs(x));
    return x;
  });
  if (peak > 0.99) for (let i = 0; i < mixed.length; i++) mixed[i] *= 0.99 / peak;
  const path = join(dir, `${work.id}-live.wav`);
  writeFileSync(path, encodeWav16(mixed, CAPTURE_RATE_HZ));
  return path;
}

// ---- the app, served and opened ----------------------------------------------------------------

async function startPreview(): Promise<ChildProcess> {
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const child = spawn(process.execPath, [vite, 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], {
    cwd: ROOT,
    env: { ...process.env, TT_DIST: DIST },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview exited: ${stderr.trim()}`);
    const ok = await fetch(`http://127.0.0.1:${PORT}/`).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error(`vite preview did not answer on port ${PORT}: ${stderr.trim()}`);
}

/**
 * Installed before the app's own scripts: records main-thread long tasks, the moment Listen is
 * pressed, and every change of the work named in the Listen panel (a MutationObserver, so no
 * change between two polls is missed).
 */
function instrument(): void {
  const w = window as unknown as { liveBench: BenchState };
  const bench: BenchState = (w.liveBench = { longTasks: [], listenAtMs: null, named: [] });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { attribution?: { containerType?: string; containerSrc?: string; name?: string }[] })[]) {
      const a = e.attribution?.[0];
      bench.longTasks.push({ startMs: e.startTime, durationMs: e.duration, attribution: a ? `${e.name} ${a.containerType ?? ''} ${a.containerSrc ?? ''}`.trim() : e.name });
    }
  }).observe({ type: 'longtask', buffered: true });
  document.addEventListener('click', (e) => {
    if ((e.target as Element | null)?.closest?.('[data-testid="listen-start"]')) bench.listenAtMs = performance.now();
  }, true);
  let last: string | null = null;
  const look = () => {
    const title = document.querySelector('[data-testid="listen-found"] .title')?.textContent?.trim() ?? null;
    if (title !== last) bench.named.push({ atMs: performance.now(), title: (last = title) });
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
}

type BenchState = { longTasks: LongTask[]; listenAtMs: number | null; named: { atMs: number; title: string | null }[] };
const readBench = (page: Page) => page.evaluate(() => (window as unknown as { liveBench: BenchState }).liveBench);

async function launch(profileDir: string, wav?: string): Promise<BrowserContext> {
  const capture = wav ? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`] : [];
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_LAUNCH.executablePath,
    headless: true,
    args: [...CHROMIUM_LAUNCH.args, ...capture],
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1280, height: 900 },
  });
}

/** Every request must stay on the app's origin, as in the e2e tests. */
function watchOrigin(context: BrowserContext): string[] {
  const foreign: string[] = [];
  context.on('request', (r) => {
    if (/^https?:/.test(r.url()) && new URL(r.url()).origin !== `http://127.0.0.1:${PORT}`) foreign.push(r.url());
  });
  return foreign;
}

async function waitForCatalog(page: Page): Promise<void> {
  await page.waitForFunction((n) => document.querySelector('[data-testid="nav-catalog"] .count')?.textContent === String(n), demo.works.length, { timeout: 120_000 });
}

// ---- trace attribution (--trace) ---------------------------------------------------------------

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; tdur?: number; pid: number; tid: number; args?: { data?: Record<string, unknown>; name?: string } }

/**
 * The page's main-thread tasks from the one running at `fromUs` on: the longest in wall time and
 * in the thread's CPU time (on a busy machine a task can wait for a core, long in wall time with
 * little run in it), and for each over LONG_TASK_MS its times and the longest things inside it.
 */
function longTaskBreakdown(events: TraceEvent[], fromUs: number, toUs: number): { longestMs: number; longestCpuMs: number; lines: string[] } {
  const mainThread = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!mainThread) return { longestMs: 0, longestCpuMs: 0, lines: [] };
  const onMain = events.filter((e) => e.pid === mainThread.pid && e.tid === mainThread.tid && e.ph === 'X' && e.dur !== undefined);
  const all = onMain.filter((e) => e.name === 'RunTask' && e.ts + e.dur! >= fromUs && e.ts < toUs);
  const longestMs = Math.max(0, ...all.map((e) => e.dur! / 1000));
  const longestCpuMs = Math.max(0, ...all.map((e) => (e.tdur ?? 0) / 1000));
  const tasks = all.filter((e) => e.dur! / 1000 > LONG_TASK_MS);
  const lines = tasks.map((task) => {
    const inside = onMain
      .filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= task.ts + task.dur! && e.dur! / 1000 >= 2)
      .sort((x, y) => y.dur! - x.dur!)
      .slice(0, 6)
      .map((e) => {
        const d = e.args?.data ?? {};
        const where = d.url ? ` ${String(d.url).replace(/^.*\//, '')}:${d.lineNumber ?? '?'}${d.functionName ? ` ${d.functionName}` : ''}` : d.type ? ` ${d.type}` : '';
        return `${e.name}${where} ${(e.dur! / 1000).toFixed(0)} ms`;
      });
    const cpu = task.tdur === undefined ? '' : ` (${(task.tdur / 1000).toFixed(1)} ms on the CPU)`;
    return `task ${(task.dur! / 1000).toFixed(0)} ms${cpu} at +${((task.ts - fromUs) / 1e6).toFixed(1)} s: ${inside.join('; ') || 'nothing inside over 2 ms'}`;
  });
  return { longestMs, longestCpuMs, lines };
}

// ---- one session ---------------------------------------------------------------------------------

async function measure(work: DemoWork, wav: string, profileDir: string): Promise<WorkOutcome> {
  const context = await launch(profileDir, wav);
  const foreign = watchOrigin(context);
  try {
    // tsx (esbuild) wraps named functions in __name(), which the page does not have.
    await context.addInitScript({ content: `var __name = (f) => f; (${instrument.toString()})();` });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await waitForCatalog(page);
    // Let start-up settle (index load, service worker) so it is not counted in the session.
    await page.waitForTimeout(1500);
    const cdp = values.trace ? await context.newCDPSession(page) : undefined;
    let traceEvents: TraceEvent[] = [];
    let traceDone: Promise<void> | undefined;
    if (cdp) {
      cdp.on('Tracing.dataCollected', (e) => traceEvents.push(...(e.value as unknown as TraceEvent[])));
      traceDone = new Promise((r) => cdp.once('Tracing.tracingComplete', () => r()));
      await cdp.send('Tracing.start', {
        transferMode: 'ReportEvents',
        traceConfig: { includedCategories: ['toplevel', 'mojom', 'v8', 'blink', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.gc', '__metadata'] },
      });
    }
    await page.getByTestId('listen-start').click();
    const startedAt = Date.now();
    // Until the right title has stayed STABLE_SEC, or TIMEOUT_SEC after Listen.
    let state = await readBench(page);
    let stableReached = false;
    while (!stableReached && Date.now() - startedAt < (TIMEOUT_SEC + STABLE_SEC) * 1000) {
      await page.waitForTimeout(250);
      state = await readBench(page);
      const now = await page.evaluate(() => performance.now());
      const last = state.named.at(-1);
      stableReached = last?.title === work.title && now - last.atMs >= STABLE_SEC * 1000;
    }
    const checks = Number(await page.getByTestId('listen-panel').getAttribute('data-checks'));
    if (values.screens) {
      mkdirSync(resolve(values.screens), { recursive: true });
      await page.screenshot({ path: join(resolve(values.screens), `live-${work.id}.png`) });
    }
    await page.getByTestId('listen-stop').click();
    const listenAtMs = state.listenAtMs!;
    let traceStartUs = 0;
    let traceEndUs = Infinity;
    if (cdp) {
      await cdp.send('Tracing.end');
      await traceDone;
      const dir = resolve(values.trace!);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `live-${work.id}.json`), JSON.stringify({ traceEvents }));
      // The trace's clock is not performance.now(): the session runs from the click on Listen to the one on Stop.
      const clicks = traceEvents.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'click').sort((a, b) => a.ts - b.ts);
      traceStartUs = clicks[0]?.ts ?? 0;
      traceEndUs = clicks[1]?.ts ?? Infinity;
    }

    const last = state.named.at(-1);
    const stable = stableReached ? last : undefined;
    const first = state.named.find((n) => n.title === work.title && n.atMs >= listenAtMs);
    const longTasks = state.longTasks.filter((t) => t.startMs + t.durationMs >= listenAtMs).map((t) => ({ ...t, startMs: t.startMs - listenAtMs }));
    const outcome: WorkOutcome = {
      id: work.id,
      title: work.title,
      latencySec: stable ? (stable.atMs - listenAtMs) / 1000 : null,
      firstShownSec: first ? (first.atMs - listenAtMs) / 1000 : null,
      wrongTitles: [...new Set(state.named.filter((n) => n.title && n.title !== work.title).map((n) => n.title!))],
      checks,
      longestTaskMs: Math.max(0, ...longTasks.map((t) => t.durationMs)),
      longTasks,
    };
    if (cdp) {
      const { longestMs, longestCpuMs, lines } = longTaskBreakdown(traceEvents, traceStartUs, traceEndUs);
      outcome.longestTracedTaskMs = longestMs;
      outcome.longestTracedTaskCpuMs = longestCpuMs;
      outcome.taskBreakdown = lines;
    }
    traceEvents = [];
    if (foreign.length) throw new Error(`requests to other origins: ${foreign.join(', ')}`);
    return outcome;
  } finally {
    await context.close();
  }
}

// ---- main ------------------------------------------------------------------------------------------

/** The longest task as measured: exact with a trace, else only known when 50 ms or more. */
function taskText(o: WorkOutcome): string {
  if (o.longestTracedTaskMs !== undefined) return `${o.longestTracedTaskMs.toFixed(0)} ms (CPU ${o.longestTracedTaskCpuMs!.toFixed(0)} ms)`;
  return o.longestTaskMs ? `${o.longestTaskMs.toFixed(0)} ms` : `none ≥ ${LONG_TASK_MS} ms`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  if (!existsSync(join(DIST, 'index.html'))) {
    log(`bench:live: no build in ${DIST}. Run \`npm run build\` first (or set TT_DIST to the build folder).`);
    process.exit(1);
  }
  const only = values.only ? new RegExp(values.only) : null;
  const works = demo.works.filter((w) => !only || only.test(w.id) || only.test(w.title));
  const tmp = mkdtempSync(join(tmpdir(), 'tunetrace-live-'));
  let preview: ChildProcess | undefined;
  try {
    log(`making the microphone input: ${works.length} works, pitch +${PITCH_CENTS} cents, tempo ×${TEMPO}, white noise at ${SNR_DB} dB SNR`);
    const wavs = new Map(works.map((w) => [w.id, liveWav(w, tmp)]));
    preview = await startPreview();
    log(`serving ${DIST} on port ${PORT}`);

    // One profile for every session, so the demo catalog is seeded once (by this first load) and
    // each session starts like a booth's laptop: the app installed, its catalog in IndexedDB.
    const profileDir = join(tmp, 'profile');
    const setup = await launch(profileDir);
    const setupPage = setup.pages()[0] ?? (await setup.newPage());
    await setupPage.goto('/');
    await waitForCatalog(setupPage);
    await setupPage.evaluate(() => navigator.serviceWorker?.ready);
    await setup.close();

    const outcomes: WorkOutcome[] = [];
    for (const work of works) {
      const o = await measure(work, wavs.get(work.id)!, profileDir);
      outcomes.push(o);
      log(`${work.title}: ${o.latencySec === null ? 'not named' : `${o.latencySec.toFixed(1)} s`}, longest task ${taskText(o)}` +
        (o.wrongTitles.length ? `, also named: ${o.wrongTitles.join(', ')}` : ''));
      for (const line of o.taskBreakdown ?? []) log(`  ${line}`);
    }

    // A work never named counts as infinitely late in the median and the worst case.
    const latencies = outcomes.map((o) => o.latencySec ?? Infinity);
    const fmt = (s: number) => (Number.isFinite(s) ? `${s.toFixed(1)} s` : `> ${TIMEOUT_SEC} s`);
    const summary = {
      named: outcomes.filter((o) => o.latencySec !== null).length,
      works: outcomes.length,
      medianLatencySec: Number.isFinite(median(latencies)) ? median(latencies) : null,
      worstLatencySec: Number.isFinite(Math.max(...latencies)) ? Math.max(...latencies) : null,
      longestTaskMs: Math.max(...outcomes.map((o) => o.longestTaskMs)),
      ...(values.trace ? {
        longestTracedTaskMs: Math.max(...outcomes.map((o) => o.longestTracedTaskMs ?? 0)),
        longestTracedTaskCpuMs: Math.max(...outcomes.map((o) => o.longestTracedTaskCpuMs ?? 0)),
      } : {}),
      tasksOver50Ms: outcomes.reduce((n, o) => n + o.longTasks.filter((t) => t.durationMs > LONG_TASK_MS).length, 0),
      falseAlarms: outcomes.reduce((n, o) => n + o.wrongTitles.length, 0),
    };

    const rows = outcomes.map((o) => [o.title, fmt(o.latencySec ?? Infinity), o.firstShownSec === null ? '—' : `${o.firstShownSec.toFixed(1)} s`, taskText(o), String(o.longTasks.filter((t) => t.durationMs > LONG_TASK_MS).length), o.wrongTitles.join(', ') || '—']);
    const head = ['work', 'named (stable)', 'first shown', 'longest task', `tasks > ${LONG_TASK_MS} ms`, 'other works named'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    console.log(line(head));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
    console.log(`\nnamed ${summary.named}/${summary.works} · median ${fmt(summary.medianLatencySec ?? Infinity)} · worst ${fmt(summary.worstLatencySec ?? Infinity)} (stable for ${STABLE_SEC} s)` +
      ` · longest main-thread task ${summary.longestTracedTaskMs !== undefined ? `${summary.longestTracedTaskMs.toFixed(0)} ms wall, ${summary.longestTracedTaskCpuMs!.toFixed(0)} ms CPU (traced)` : summary.longestTaskMs ? `${summary.longestTaskMs.toFixed(0)} ms` : `under ${LONG_TASK_MS} ms`},` +
      ` ${summary.tasksOver50Ms} over ${LONG_TASK_MS} ms · other works named: ${summary.falseAlarms}`);

    const out = join(ROOT, 'bench/results/live.json');
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(out, JSON.stringify({
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAverage1m: loadavg()[0] },
      settings: { snrDb: SNR_DB, pitchCents: PITCH_CENTS, tempo: TEMPO, stableSec: STABLE_SEC, timeoutSec: TIMEOUT_SEC, captureRateHz: CAPTURE_RATE_HZ, build: DIST },
      summary,
      works: outcomes,
    }, null, 2) + '\n');
    log(`wrote ${out}`);
  } finally {
    preview?.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
