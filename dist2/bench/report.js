"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.formatReport = formatReport;
const s = (ms) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);
const ratio = (a, b) => (a === undefined || !b ? '—' : `${(a / b).toFixed(2)}×`);
const label = (n) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
const row = (cells) => `| ${cells.join(' | ')} |`;
/** The table (tool / limit per size), the split by step, rows/s, RSS and the kill figure, as markdown. */
function formatReport(sizes, kills, machine) {
    return [...(sizes.length ? [sizeTables(sizes)] : []), ...kills.map(killLine), `machine: ${machine}`].join('\n');
}
function killLine(kill) {
    const how = kill.mode === 'restart' ? `a new worker process started at once, polling ${s(kill.restartMs)} after the kill` : 'a second worker already polling';
    return `kill -9 of the worker mid-copy (${how}): ${s(kill.lostMs)} lost (kill → next committed batch ${s(kill.killToNextBatchMs)}, ` +
        `usual gap between batches ${s(kill.batchGapMs)})`;
}
function sizeTables(sizes) {
    const head = ['what', ...sizes.map((f) => `${label(f.chunks)} (tool / limit)`), ...sizes.map((f) => `${label(f.chunks)} ratio`)];
    const lines = [row(head), row(head.map(() => '---'))];
    const pair = (name, tool, lim) => lines.push(row([name, ...sizes.map((f) => `${s(tool(f))} / ${s(lim(f))}`), ...sizes.map((f) => ratio(tool(f), lim(f)))]));
    for (const rule of ['chunks', 'templates', 'slots', 'tags', 'embeddings']) {
        pair(`${rule} rule vs one insert … select`, (f) => f.tool.steps[`copy ${rule}`], (f) => f.limit[rule]);
    }
    pair('verify vs one full scan of every table', (f) => f.tool.steps.verify, (f) => f.limit['full scan']);
    pair('whole data run vs the limit', (f) => f.tool.totalMs, (f) => f.limitTotalMs);
    const out = [lines.join('\n'), ''];
    const split = [row(['step', ...sizes.map((f) => label(f.chunks))]), row(['---', ...sizes.map(() => '---')])];
    const names = [...new Set(sizes.flatMap((f) => Object.keys(f.tool.steps)))].sort((a, b) => (sizes[0].tool.steps[b] ?? 0) - (sizes[0].tool.steps[a] ?? 0));
    for (const n of names)
        split.push(row([n, ...sizes.map((f) => `${s(f.tool.steps[n])} (${(((f.tool.steps[n] ?? 0) / f.tool.totalMs) * 100).toFixed(0)} %)`)]));
    const busy = (f) => Object.values(f.tool.steps).reduce((a, b) => a + b, 0);
    split.push(row(['between activities (workflow tasks, waits)', ...sizes.map((f) => s(Math.max(0, f.tool.totalMs - busy(f))))]));
    split.push(row(['whole run', ...sizes.map((f) => s(f.tool.totalMs))]));
    split.push(row(['legacy rows / s (whole run)', ...sizes.map((f) => String(Math.round(f.legacyRows / (f.tool.totalMs / 1000))))]));
    split.push(row(['worker peak RSS', ...sizes.map((f) => (f.tool.rssMb === null ? '?' : `${f.tool.rssMb} MB`))]));
    out.push(split.join('\n'), '');
    const limit = [row(['limit statement', ...sizes.map((f) => label(f.chunks))]), row(['---', ...sizes.map(() => '---')])];
    for (const n of Object.keys(sizes[0]?.limit ?? {}))
        limit.push(row([n, ...sizes.map((f) => s(f.limit[n]))]));
    out.push(limit.join('\n'), '');
    return out.join('\n');
}
//# sourceMappingURL=report.js.map