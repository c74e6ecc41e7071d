import { readFile, writeFile, rename, stat, readdir } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCore } from './load-core';
import { decodeFile, AUDIO_EXTENSIONS } from './decode-node';
import { CatalogIndex } from '../core/catalog-index';
import { decodeCatalogFile, encodeCatalogFile, newCatalogId, type CatalogContents } from '../core/catalog-file';
import { checkDuration, checkFingerprint } from '../core/validate';
import { analyseMidi } from '../core/midi-work';
import { describeMidiTrack, isMidiFileName, lowMelodyWarning } from '../core/midi-track-info';
import { analyseWithNotes } from '../core/note-line';
import { describeEvidence, describeTransform } from '../core/describe';
import type { Core } from '../core/wasm-core';
import type { Fingerprint, QueryResult, WorkRecord } from '../core/types';
import { QueryReporter, readMetadataCsv } from './report';
import { searchWords, workMatches } from '../core/work-search';
import type { WorkMetadata } from '../core/metadata';

// tunetrace: the command-line front end over the same WASM core as the app.
// Results go to stdout, progress and problems to stderr.
// Exit codes: 0 done; 1 nothing done (bad arguments, unreadable catalog); 3 done, but some files were skipped.

const USAGE = `tunetrace — find your works inside other tracks (same core as the Tunetrace app)

Usage:
  tunetrace index --catalog FILE.ttcat [--id-from name|path] [--name NAME] [--midi-track N] <audio or MIDI files, or folders…>
  tunetrace query --catalog FILE.ttcat [--json] <audio files…>
  tunetrace query --catalog FILE.ttcat --report json|csv|html [--out FILE|FOLDER] [--metadata FILE.csv] <audio files…>
  tunetrace list  --catalog FILE.ttcat [--json] [--find TEXT [--metadata FILE.csv]]

index   adds works (or replaces works with the same id) and writes the catalog file;
        the work id is the file name without extension (--id-from path: the path below the folder given).
        A MIDI file (.mid, .midi) becomes a melody-only work from its melody track: by default the busiest
        track that plays one note at a time with the highest notes; --midi-track N takes track N instead
        (tracks with notes, numbered from 1, as index prints them).
query   prints, per file, the works found, where, and each work's share of the file;
        --report writes the check report instead (to stdout, or --out; a folder for several files),
        with splits and clearance from --metadata (the app's metadata CSV).
list    prints the works in a catalog; --find keeps those matching every word of TEXT in their title,
        file, or (with --metadata) creators, release, ISRC or ISWC — the Catalog screen's search.`;

export class UsageError extends Error {}

function log(message: string): void {
  process.stderr.write(message + '\n');
}

async function analyseFile(core: Core, path: string, name: string, role: 'reference' | 'query'): Promise<Fingerprint> {
  const audio = await decodeFile(path, name);
  const durationSec = Math.min(...audio.channels.map((c) => c.length)) / audio.sampleRateHz;
  checkDuration(name, durationSec);
  const fp = analyseWithNotes(core, audio, { role });
  checkFingerprint(name, fp);
  return fp;
}

/** A melody-only work from a MIDI file; says which track it took and which others there are. */
async function analyseMidiFile(core: Core, path: string, name: string, trackNumber?: number): Promise<Fingerprint & { midiTrack: number }> {
  const { fingerprint, track, summary } = analyseMidi(core, name, new Uint8Array(await readFile(path)), trackNumber);
  const others = summary.tracks.filter((t) => t.candidate && t.number !== track.number);
  log(`  ${name}: melody from track ${describeMidiTrack(track)}${trackNumber === undefined ? ' (default)' : ''}` +
    (others.length ? `; other tracks: ${others.map(describeMidiTrack).join('; ')} (--midi-track N to choose)` : ''));
  const low = lowMelodyWarning(track, { otherTracks: others.length > 0, chooseWith: ' (--midi-track N)' });
  if (low) log(`  warning: ${name}: ${low}`);
  return { ...fingerprint, midiTrack: track.number };
}

async function readCatalog(path: string, core: Core, mustExist: boolean): Promise<CatalogContents> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch {
    if (mustExist) throw new UsageError(`Cannot read the catalog ${path}: create it with \`tunetrace index --catalog ${path} <files>\`.`);
    return { catalogId: newCatalogId(), name: basename(path, extname(path)), createdAt: Date.now(), works: [] };
  }
  return decodeCatalogFile(bytes, core.formatVersion);
}

/** Writes next to the target and renames, so a crash never leaves a half-written catalog. */
async function writeCatalog(path: string, contents: CatalogContents, core: Core): Promise<void> {
  const bytes = await encodeCatalogFile(contents, core.formatVersion);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, bytes);
  await rename(temp, path);
}

async function expandInputs(inputs: string[]): Promise<{ path: string; root: string }[]> {
  const out: { path: string; root: string }[] = [];
  async function walk(path: string, root: string): Promise<void> {
    const s = await stat(path);
    if (s.isDirectory()) {
      const entries = (await readdir(path)).sort();
      for (const e of entries) {
        const child = join(path, e);
        const cs = await stat(child);
        if (cs.isDirectory() || AUDIO_EXTENSIONS.has(extname(e).toLowerCase()) || isMidiFileName(e)) await walk(child, root);
      }
    } else {
      out.push({ path, root });
    }
  }
  for (const input of inputs) {
    try {
      const s = await stat(input);
      await walk(input, s.isDirectory() ? input : resolve(input, '..'));
    } catch {
      out.push({ path: input, root: resolve(input, '..') }); // reported as unreadable below
    }
  }
  return out;
}

function workIdFor(path: string, root: string, idFrom: string): string {
  const withoutExt = (p: string) => p.slice(0, p.length - extname(p).length);
  if (idFrom === 'path') return withoutExt(relative(root, path)).split(/[\\/]/).join('/');
  return withoutExt(basename(path));
}

function titleFromId(id: string): string {
  const last = id.split('/').pop() ?? id;
  return last.replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim() || id;
}

async function commandIndex(catalogPath: string, inputs: string[], idFrom: string, name?: string, midiTrackArg?: string): Promise<number> {
  if (!['name', 'path'].includes(idFrom)) throw new UsageError(`--id-from must be "name" or "path", not "${idFrom}".`);
  const midiTrack = midiTrackArg === undefined ? undefined : Number(midiTrackArg);
  if (midiTrack !== undefined && !(Number.isInteger(midiTrack) && midiTrack >= 1)) throw new UsageError(`--midi-track must be a track number (1, 2, …), not "${midiTrackArg}".`);
  if (inputs.length === 0) throw new UsageError('Give the audio files or folders to index.');
  const core = await loadCore();
  const catalog = await readCatalog(catalogPath, core, false);
  if (name) catalog.name = name;
  const byId = new Map(catalog.works.map((w) => [w.meta.id, w] as const));
  const files = await expandInputs(inputs);
  let skipped = 0;
  let done = 0;
  for (const { path, root } of files) {
    const id = workIdFor(path, root, idFrom);
    try {
      const started = performance.now();
      const midi = isMidiFileName(path);
      const { midiTrack: track, ...fp } = midi
        ? await analyseMidiFile(core, path, basename(path), midiTrack)
        : { ...(await analyseFile(core, path, basename(path), 'reference')), midiTrack: undefined };
      const record: WorkRecord = {
        meta: {
          id, title: byId.get(id)?.meta.title ?? titleFromId(id), durationSec: fp.durationSec, addedAt: Date.now(), sourceName: basename(path),
          ...(midi ? { sourceKind: 'midi' as const, midiTrack: track } : {}),
        },
        fingerprint: fp,
      };
      const features = midi ? `melody from MIDI, ${fp.notes?.midi.length ?? 0} notes` : `${fp.hashes.length} hashes`;
      log(`${byId.has(id) ? 'updated' : 'added  '} ${id}  (${fp.durationSec.toFixed(1)} s, ${features}, ${Math.round(performance.now() - started)} ms)`);
      byId.set(id, record);
      done++;
    } catch (e) {
      skipped++;
      log(`skipped ${path}: ${(e as Error).message}`);
    }
  }
  if (done === 0) {
    log(`No work was added; ${catalogPath} is unchanged.`);
    return 1;
  }
  catalog.works = [...byId.values()];
  await writeCatalog(catalogPath, catalog, core);
  log(`${catalogPath}: ${catalog.works.length} works${skipped ? `, ${skipped} file(s) skipped` : ''}.`);
  return skipped ? 3 : 0;
}

export interface QueryOutput extends QueryResult {
  file: string;
}

function fmtTime(sec: number): string {
  const m = Math.floor(sec / 60);
  const s = sec - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}

function printQuery(q: QueryOutput): void {
  const out: string[] = [`${q.file}  (${q.durationSec.toFixed(1)} s, searched ${q.searchedWorks} works)`];
  if (q.matches.length === 0) out.push('  no work from the catalog was found');
  for (const m of q.matches) {
    out.push(
      `  ${fmtTime(m.queryStartSec)}–${fmtTime(m.queryEndSec)}  ${m.title}  [${m.melodyToo ? 'recording+melody' : m.evidence}, ${describeTransform(m)}] at ${fmtTime(m.refStartSec)}–${fmtTime(m.refEndSec)}` +
        `  confidence ${(m.confidence * 100).toFixed(1)} %  (${describeEvidence(m, 2)})`,
    );
  }
  for (const s of q.shares) out.push(`  share  ${(s.proportion * 100).toFixed(1).padStart(5)} %  ${s.title} (${s.seconds.toFixed(1)} s)`);
  if (q.matches.length) out.push(`  share  ${((q.unattributedSec / q.durationSec) * 100).toFixed(1).padStart(5)} %  not from the catalog`);
  process.stdout.write(out.join('\n') + '\n');
}

interface ReportOptions {
  format?: string;
  out?: string;
  metadata?: string;
}

async function commandQuery(catalogPath: string, files: string[], json: boolean, report: ReportOptions = {}): Promise<number> {
  if (files.length === 0) throw new UsageError('Give the audio files to check.');
  if (report.format && json) throw new UsageError('Use --json or --report, not both.');
  if (!report.format && (report.out || report.metadata)) throw new UsageError('--out and --metadata go with --report json|csv|html.');
  const core = await loadCore();
  const catalog = await readCatalog(catalogPath, core, true);
  const index = new CatalogIndex(core);
  for (const w of catalog.works) index.add(w.meta, w.fingerprint);
  log(`${catalogPath}: ${index.size} works loaded`);
  const inputs = await expandInputs(files);
  const reporter = report.format
    ? await QueryReporter.create({
      format: report.format, out: report.out, metadataPath: report.metadata, catalog, searchedWorks: index.size,
      formatVersion: core.formatVersion, fileCount: inputs.length, log,
    }).catch((e: Error) => { throw new UsageError(e.message); })
    : undefined;
  const queries: (QueryOutput | { file: string; error: string })[] = [];
  let failed = 0;
  for (const { path } of inputs) {
    try {
      const fp = await analyseFile(core, path, basename(path), 'query');
      const result: QueryOutput = { file: path, ...index.match(fp) };
      queries.push(result);
      if (reporter) log(`checked ${path}: ${result.matches.length} segment(s), report → ${await reporter.write(path, result)}`);
      else if (!json) printQuery(result);
      else log(`checked ${path}: ${result.matches.length} segment(s)`);
    } catch (e) {
      failed++;
      queries.push({ file: path, error: (e as Error).message });
      log(`skipped ${path}: ${(e as Error).message}`);
    }
  }
  if (json) process.stdout.write(JSON.stringify({ catalog: { id: catalog.catalogId, name: catalog.name, works: index.size, formatVersion: core.formatVersion }, queries }, null, 2) + '\n');
  return failed ? 3 : 0;
}

async function commandList(catalogPath: string, json: boolean, find?: string, metadataPath?: string): Promise<number> {
  const core = await loadCore();
  const catalog = await readCatalog(catalogPath, core, true);
  const words = searchWords(find ?? '');
  const metadata = words.length && metadataPath ? await readMetadataCsv(metadataPath, catalog, log) : new Map<string, WorkMetadata>();
  const works = catalog.works
    .filter((w) => workMatches(w.meta, metadata.get(w.meta.id), words))
    .map((w) => ({ ...w.meta, sourceKind: w.meta.sourceKind ?? 'audio', hashCount: w.fingerprint.hashes.length }));
  if (json) {
    process.stdout.write(JSON.stringify({ id: catalog.catalogId, name: catalog.name, createdAt: catalog.createdAt, works }, null, 2) + '\n');
  } else {
    process.stdout.write(`${catalog.name} — ${words.length ? `${works.length} of ${catalog.works.length} works match “${find!.trim()}”` : `${works.length} works`}\n`);
    for (const w of works) {
      const kind = w.sourceKind === 'midi' ? `  (melody from MIDI${w.midiTrack ? `, track ${w.midiTrack}` : ''})` : '';
      process.stdout.write(`  ${w.id.padEnd(28)} ${fmtTime(w.durationSec).padStart(7)}  ${w.title}${kind}\n`);
    }
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 1;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        catalog: { type: 'string', short: 'c' },
        json: { type: 'boolean', default: false },
        'id-from': { type: 'string', default: 'name' },
        name: { type: 'string' },
        report: { type: 'string' },
        out: { type: 'string', short: 'o' },
        metadata: { type: 'string' },
        'midi-track': { type: 'string' },
        find: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (!values.catalog) throw new UsageError('Say which catalog file to use: --catalog FILE.ttcat');
  if (values['midi-track'] !== undefined && command !== 'index') throw new UsageError('--midi-track goes with index.');
  if (values.find !== undefined && command !== 'list') throw new UsageError('--find goes with list.');
  switch (command) {
    case 'index':
      return commandIndex(values.catalog, positionals, values['id-from'] ?? 'name', values.name, values['midi-track']);
    case 'query':
      return commandQuery(values.catalog, positionals, values.json ?? false, { format: values.report, out: values.out, metadata: values.metadata });
    case 'list':
      if (values.metadata !== undefined && values.find === undefined) throw new UsageError('With list, --metadata goes with --find.');
      return commandList(values.catalog, values.json ?? false, values.find, values.metadata);
    default:
      throw new UsageError(`Unknown command "${command}". Run \`tunetrace --help\`.`);
  }
}
