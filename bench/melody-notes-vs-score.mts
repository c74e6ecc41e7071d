// Diagnostic: a reference's score (every part) beside the notes the core tracked (pooled lines, or LINES=main), in time order.
//   npx tsx bench/melody-notes-vs-score.mts WORK_ID [FROM_SEC] [TO_SEC]   (CORE_WASM=… for another build)
import { readFileSync } from 'node:fs';
import { referenceTunes } from './corpus/build.ts';
import { parseWav } from '../src/cli/wav.ts';
import { Core } from '../src/core/wasm-core.ts';
const core = await Core.load(readFileSync(process.env.CORE_WASM ?? 'build/core.wasm'));
const id = process.argv[2]; const t0 = Number(process.argv[3] ?? 0), t1 = Number(process.argv[4] ?? 20);
const song = referenceTunes().find((j) => j.id === id)!.song;
core.analyse(parseWav(readFileSync(`bench/.corpus/refs/${id}.wav`)), { role: 'reference' });
const fs = core.frameSec;
const n = core.lastNotes(process.env.LINES === 'main' ? 'main' : 'pooled');
const got = Array.from(n.onsets, (f, i) => ({ t: f * fs, p: n.pitches[i] + 33, d: (n.ends[i] - f) * fs }));
const name = (p: number) => ['C','C#','D','D#','E','F','F#','G','G#','A','A#','B'][Math.round(p) % 12] + (Math.floor(Math.round(p) / 12) - 1);
const ev: string[] = [];
for (const x of song.notes.filter((x: any) => x.start >= t0 && x.start < t1)) ev.push(`${x.start.toFixed(2)} T ${x.part.padEnd(7)} ${name(x.pitch).padEnd(4)} ${x.dur.toFixed(2)}`);
for (const x of got.filter((x) => x.t >= t0 && x.t < t1)) ev.push(`${x.t.toFixed(2)} G         ${name(x.p).padEnd(4)} ${x.d.toFixed(2)}  (${x.p.toFixed(1)})`);
ev.sort((a, b) => parseFloat(a) - parseFloat(b));
console.log(ev.join('\n'));
