import { CLEARANCE_LABELS } from '../core/metadata';
import { describeEvidence } from '../core/describe';
import { clearanceHeadline, type CheckReport } from './report';
import { flaggedClearanceText, onlyUnrecorded } from './rights';
import { comparisonRows } from '../provenance/compare';
import { aiUseText, NO_CREDENTIALS, noCredentialsDetail, SIGNATURE_EXPLANATIONS, SIGNATURE_LABELS, signerText } from '../provenance/describe';

// The printable report: one self-contained HTML page (no scripts, no external
// files) styled for paper, so "Print → Save as PDF" gives a clean document.

/** Okabe–Ito, as on the Check screen: distinguishable with the common kinds of colour blindness. */
const COLOURS = ['#E69F00', '#0072B2', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#F0E442'];

export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function time(sec: number): string {
  const m = Math.floor(sec / 60);
  return `${m}:${(sec - m * 60).toFixed(1).padStart(4, '0')}`;
}

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)} %`;

// Colours go in SVG attributes, never in style attributes: the app's Content Security
// Policy forbids style attributes, and the report is shown inside the app to print it.
function swatch(colour: string | undefined): string {
  return `<svg class="sw" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" rx="2" fill="${colour ?? '#b9b3a6'}"/></svg>`;
}

function bar(proportion: number, colour: string): string {
  const w = (Math.max(0, Math.min(1, proportion)) * 100).toFixed(2);
  return `<svg class="track" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true"><rect width="100" height="4" rx="2" fill="#eee9df"/><rect width="${w}" height="4" rx="2" fill="${colour}"/></svg>`;
}

function confidence(c: number): string {
  return c >= 0.9995 ? '&gt; 99.9 %' : `${(c * 100).toFixed(1)} %`;
}

function timeline(report: CheckReport, colourOf: Map<string, string>): string {
  const width = 1000;
  const dur = report.file.durationSec || 1;
  const lanes = report.shares.map((s) => s.workId);
  const laneH = 22;
  const top = 8;
  const axisY = top + lanes.length * laneH + 6;
  const rects = report.segments.map((s) => {
    const lane = Math.max(0, lanes.indexOf(s.workId));
    const x = (s.queryStartSec / dur) * width;
    const w = Math.max(2, ((s.queryEndSec - s.queryStartSec) / dur) * width);
    return `<rect x="${x.toFixed(1)}" y="${top + lane * laneH}" width="${w.toFixed(1)}" height="${laneH - 6}" rx="3" fill="${colourOf.get(s.workId)}"><title>${escapeHtml(s.title)} ${time(s.queryStartSec)}–${time(s.queryEndSec)}</title></rect>`;
  });
  const ticks: string[] = [];
  const step = dur > 600 ? 60 : dur > 120 ? 30 : dur > 30 ? 10 : 5;
  for (let t = 0; t <= dur + 1e-9; t += step) {
    const x = (t / dur) * width;
    ticks.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${axisY}" y2="${axisY + 5}" stroke="#4a5572"/><text x="${Math.min(width - 18, x).toFixed(1)}" y="${axisY + 18}" font-size="12" fill="#4a5572" text-anchor="${t === 0 ? 'start' : 'middle'}">${time(t).replace(/\.0$/, '')}</text>`);
  }
  const h = axisY + 24;
  return `<svg class="timeline" viewBox="0 0 ${width} ${h}" role="img" aria-label="Where each work is used in the track">
<rect x="0" y="${top - 2}" width="${width}" height="${lanes.length * laneH}" fill="#f3f0e8"/>
${rects.join('\n')}
<line x1="0" x2="${width}" y1="${axisY}" y2="${axisY}" stroke="#4a5572"/>
${ticks.join('\n')}
</svg>`;
}

const MARK = { agree: '✓', disagree: '✗', note: '–' } as const;

/** Content credentials: what the file declares beside what Tunetrace detected. */
function provenanceSection(report: CheckReport): string {
  const p = report.provenance;
  if (p.status === 'none') return `<p>${escapeHtml(NO_CREDENTIALS)}</p>${noCredentialsDetail(p) ? `<p class="sub">${escapeHtml(noCredentialsDetail(p))}</p>` : ''}`;
  if (p.status === 'error') return `<div class="verdict flagged">${escapeHtml(p.message)}</div>`;
  if (p.status === 'not-read') return `<p>Not read. ${escapeHtml(p.reason)}</p>`;
  const d = p.declared;
  const c = p.comparison!;
  const rows = comparisonRows(c, report.shares).map((r) => `<tr class="${r.kind}">
  <td>${escapeHtml(r.name)}${r.inCatalog ? '' : '<div class="sub">not in the catalog</div>'}</td>
  <td>${r.declared ? 'Declared as an ingredient' : '<strong>Not declared</strong>'}</td>
  <td>${r.foundProportion !== null ? `Found, ${pct(r.foundProportion)} of the track` : r.inCatalog ? '<strong>Not found</strong>' : 'Cannot be checked'}</td>
  <td class="mark">${MARK[r.kind]} ${r.kind === 'agree' ? 'agrees' : r.kind === 'disagree' ? '<strong>disagrees</strong>' : 'unknown'}</td>
</tr>`).join('\n');
  // Disagreements the table cannot show (the AI declaration against what was found).
  const notes = c.findings.filter((f) => f.kind === 'disagree' && f.topic === 'ai');
  return `<div class="verdict ${c.verdict === 'agrees' ? 'cleared' : 'flagged'}">${escapeHtml(c.headline)}</div>
<dl>
  <dt>Made with</dt><dd>${escapeHtml(d.generator || 'not named')}</dd>
  <dt>Signed by</dt><dd>${escapeHtml(signerText(d))}${d.signer?.time ? ` · ${escapeHtml(d.signer.time)}` : ''}</dd>
  <dt>Signature</dt><dd><strong>${escapeHtml(SIGNATURE_LABELS[d.signature.state])}.</strong> ${escapeHtml(SIGNATURE_EXPLANATIONS[d.signature.state])}${d.signature.problems.length ? `<div class="sub">${d.signature.problems.map(escapeHtml).join('; ')}</div>` : ''}</dd>
  <dt>AI use</dt><dd>${escapeHtml(aiUseText(d.ai))}${d.ai.softwareAgents.length ? `<div class="sub">Software named in its actions: ${d.ai.softwareAgents.map(escapeHtml).join(', ')}</div>` : ''}</dd>
  <dt>Ingredients</dt><dd>${d.ingredients.length ? d.ingredients.map((i) => `${escapeHtml(i.title || 'untitled')} <span class="sub">(${escapeHtml(i.relationship)})</span>`).join(', ') : 'none declared'}</dd>
</dl>
${rows ? `<table class="prov"><thead><tr><th>Work or ingredient</th><th>The file declares</th><th>Tunetrace detected</th><th>Agreement</th></tr></thead>
<tbody>${rows}</tbody></table>` : ''}
${notes.length ? `<ul class="disagree">${notes.map((f) => `<li>${escapeHtml(f.text)}</li>`).join('')}</ul>` : ''}`;
}

export function reportToHtml(report: CheckReport): string {
  const colourOf = new Map(report.shares.map((s, i) => [s.workId, COLOURS[i % COLOURS.length]] as const));
  const v = report.clearance;
  // Flagged only because nothing is recorded: amber, as on the Check screen.
  const verdictClass = v.status === 'flagged' ? (onlyUnrecorded(v.flagged) ? 'flagged unrecorded' : 'flagged') : v.status === 'cleared' ? 'cleared' : 'none';
  const generated = new Date(report.generatedAt);
  const shareRows = report.shares.map((s) => `<tr>
  <td>${swatch(colourOf.get(s.workId))}${escapeHtml(s.title)}<div class="sub">${escapeHtml(s.workId)}</div></td>
  <td class="num">${pct(s.proportion)}</td><td class="num">${s.seconds.toFixed(1)} s</td>
  <td>${escapeHtml(CLEARANCE_LABELS[s.clearance])}</td>
  <td>${s.isrc ? `ISRC ${escapeHtml(s.isrc)}` : ''}${s.isrc && s.iswc ? '<br>' : ''}${s.iswc ? `ISWC ${escapeHtml(s.iswc)}` : ''}${!s.isrc && !s.iswc ? '<span class="sub">none recorded</span>' : ''}</td>
</tr>`).join('\n');
  const segmentRows = report.segments.map((s) => `<tr>
  <td class="num">${s.index + 1}</td>
  <td>${swatch(colourOf.get(s.workId))}${escapeHtml(s.title)}</td>
  <td class="num">${time(s.queryStartSec)} – ${time(s.queryEndSec)}</td>
  <td class="num">${time(s.refStartSec)} – ${time(s.refEndSec)}</td>
  <td>${s.evidence === 'recording' ? (s.melodyToo ? 'Same recording (melody too)' : 'Same recording') : 'Melody'}</td>
  <td class="num">${confidence(s.confidence)}<div class="sub">${escapeHtml(describeEvidence(s, 2))}</div></td>
  <td>${escapeHtml(CLEARANCE_LABELS[s.clearance])}</td>
</tr>`).join('\n');
  const partyRows = report.splits.parties.map((p) => `<tr>
  <td>${escapeHtml(p.name)}</td><td>${escapeHtml(p.roles.join(', '))}</td>
  <td>${p.works.map((w) => `${escapeHtml(w.title)} (${w.splitPercent} %)`).join('<br>')}</td>
  <td class="num">${pct(p.proportion, 2)}</td><td class="num">${p.seconds.toFixed(1)} s</td>
</tr>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tunetrace report — ${escapeHtml(report.file.name)}</title>
<style>
  @page { size: A4; margin: 16mm 14mm; }
  * { box-sizing: border-box; }
  body { font: 11pt/1.45 'Inter', 'Segoe UI', system-ui, Arial, sans-serif; color: #14213d; margin: 0 auto; max-width: 190mm; padding: 8mm 0; background: #fff; }
  h1 { font-size: 20pt; margin: 0 0 2mm; letter-spacing: -0.01em; }
  h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1.5pt solid #14213d; padding-bottom: 1mm; break-after: avoid; }
  .brand { font-weight: 800; color: #4a5572; text-transform: uppercase; letter-spacing: 0.08em; font-size: 9pt; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.6mm 5mm; margin: 3mm 0; font-size: 10pt; }
  dt { color: #4a5572; } dd { margin: 0; word-break: break-all; }
  .verdict { border-radius: 2mm; padding: 3mm 4mm; font-weight: 700; margin: 4mm 0; border: 1pt solid; }
  .verdict.flagged { background: #fdecea; color: #7f1d1d; border-color: #e8a39b; }
  .verdict.flagged.unrecorded { background: #fdf6e3; color: #713f12; border-color: #ecd49a; }
  .verdict.cleared { background: #e6f4ec; color: #14532d; border-color: #9fd3b3; }
  .verdict.none { background: #eef1f7; color: #14213d; border-color: #c9d0e0; }
  .verdict ul { margin: 1.5mm 0 0; padding-left: 5mm; font-weight: 500; }
  table { border-collapse: collapse; width: 100%; font-size: 9.5pt; break-inside: auto; }
  tr { break-inside: avoid; }
  th { text-align: left; font-size: 8pt; text-transform: uppercase; letter-spacing: 0.05em; color: #4a5572; border-bottom: 1pt solid #14213d; padding: 1.5mm 2mm; }
  td { border-bottom: 0.5pt solid #d8d2c4; padding: 1.5mm 2mm; vertical-align: top; }
  .num { font-variant-numeric: tabular-nums; white-space: nowrap; }
  .sub { color: #4a5572; font-size: 8.5pt; }
  .sw { display: inline-block; width: 3mm; height: 3mm; margin-right: 1.5mm; vertical-align: -0.3mm; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .timeline { width: 100%; height: auto; display: block; margin: 2mm 0; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .bars { display: grid; gap: 1.2mm; margin: 2mm 0; }
  .bar { display: grid; grid-template-columns: 55mm 1fr 18mm; gap: 3mm; align-items: center; font-size: 10pt; }
  .bar .track { width: 100%; height: 3.5mm; display: block; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  ol, ul { padding-left: 5mm; } li { margin: 0.8mm 0; }
  .method p { margin: 1.5mm 0; }
  table.prov tr.disagree td { background: #fdecea; color: #7f1d1d; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  table.prov tr.agree td.mark { color: #14532d; }
  .mark { white-space: nowrap; }
  ul.disagree { color: #7f1d1d; font-weight: 700; }
  .provenance dd { word-break: normal; }
  footer { margin-top: 8mm; font-size: 8.5pt; color: #4a5572; border-top: 0.5pt solid #d8d2c4; padding-top: 2mm; }
  @media screen { body { padding: 12mm 8mm; } }
</style>
</head>
<body>
<div class="brand">Tunetrace · check report</div>
<h1>${escapeHtml(report.file.name)}</h1>
<dl>
  <dt>Checked</dt><dd>${escapeHtml(generated.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</dd>
  <dt>Length</dt><dd>${time(report.file.durationSec)} (${report.file.sizeBytes.toLocaleString('en')} bytes)</dd>
  <dt>File SHA-256</dt><dd><code>${escapeHtml(report.file.sha256)}</code></dd>
  <dt>Catalog</dt><dd>${escapeHtml(report.catalog.name)} · ${report.catalog.works} works · id <code>${escapeHtml(report.catalog.id)}</code></dd>
  <dt>Core format</dt><dd>${report.catalog.formatVersion} · report schema ${report.schemaVersion}</dd>
</dl>

<h2>Summary</h2>
<div class="bars">
${report.shares.map((s) => `<div class="bar"><span>${swatch(colourOf.get(s.workId))}${escapeHtml(s.title)}</span>${bar(s.proportion, colourOf.get(s.workId)!)}<span class="num">${pct(s.proportion)}</span></div>`).join('\n')}
<div class="bar"><span>${swatch(undefined)}Not from the catalog</span>${bar(report.unattributedProportion, '#b9b3a6')}<span class="num">${pct(report.unattributedProportion)}</span></div>
</div>
<div class="verdict ${verdictClass}">${escapeHtml(clearanceHeadline(report))}
${v.flagged.length ? `<ul>${v.flagged.map((f) => `<li>${escapeHtml(f.title)} (${escapeHtml(flaggedClearanceText(f.clearance))}): ${f.segments.map((s) => `${time(s.queryStartSec)}–${time(s.queryEndSec)}`).join(', ')}</li>`).join('')}</ul>` : ''}
</div>

${report.segments.length ? `<h2>Timeline</h2>\n${timeline(report, colourOf)}` : ''}

${report.shares.length ? `<h2>Works found</h2>
<table><thead><tr><th>Work</th><th>Share</th><th>Seconds</th><th>Clearance</th><th>Identifiers</th></tr></thead>
<tbody>${shareRows}</tbody></table>` : ''}

${report.segments.length ? `<h2>Segments</h2>
<table><thead><tr><th>#</th><th>Work</th><th>In the track</th><th>In the work</th><th>Evidence</th><th>Confidence</th><th>Clearance</th></tr></thead>
<tbody>${segmentRows}</tbody></table>` : ''}

${report.shares.length ? `<h2>Royalty split</h2>
${report.splits.parties.length ? `<table><thead><tr><th>Party</th><th>Roles</th><th>Works (split)</th><th>Share of track</th><th>Seconds</th></tr></thead>
<tbody>${partyRows}</tbody></table>` : '<p>No creators or splits are recorded for the works found.</p>'}
${report.splits.unsplitWorks.length ? `<p class="sub">Not assigned to any party (no splits recorded): ${report.splits.unsplitWorks.map((w) => `${escapeHtml(w.title)} ${pct(w.proportion)}`).join(', ')}.</p>` : ''}` : ''}

<h2>Content credentials (C2PA)</h2>
<section class="provenance">
${provenanceSection(report)}
</section>

<h2>Method</h2>
<div class="method">
<p>${escapeHtml(report.method.summary)}</p>
<p>${escapeHtml(report.method.shares)}</p>
<p>${escapeHtml(report.method.confidence)}</p>
</div>

<h2>What this report cannot know</h2>
<ul>${report.limits.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>

<footer>Made by Tunetrace (${escapeHtml(report.generator.via)}) on this computer; nothing was uploaded. Schema ${escapeHtml(report.schema)} v${report.schemaVersion}. The JSON report holds every figure in this document.</footer>
</body>
</html>
`;
}
