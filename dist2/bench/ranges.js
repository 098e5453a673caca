"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.measureRanges = measureRanges;
exports.formatRanges = formatRanges;
const fixture_cache_1 = require("./fixture-cache");
const history_1 = require("./history");
const tool_run_1 = require("./tool-run");
const RULES = ['chunks', 'templates', 'slots', 'tags', 'embeddings'];
async function measureRanges(template, plan, counts, log) {
    const out = [];
    for (const n of counts) {
        const db = await (0, fixture_cache_1.cloneTemplate)(template, `ranges_${n}`);
        try {
            const copy = { ...plan.copy, parallelism: n };
            const split = await (0, tool_run_1.runTool)(db.url, { ...plan, copy, steps: ['preflight', 'schema', 'copy', 'embeddings'] }, `ranges${n}`);
            const rules = Object.fromEntries(RULES.map((r) => [r, split.spans[`copy ${r}`] ?? 0]));
            const copyMs = split.spans[history_1.COPY_SPAN] ?? 0;
            out.push({ parallelism: n, totalMs: split.totalMs, rules, copyMs });
            log(`    parallelism ${n}: run ${(split.totalMs / 1000).toFixed(1)} s, copy ${(copyMs / 1000).toFixed(1)} s: ${RULES.map((r) => `${r} ${(rules[r] / 1000).toFixed(1)} s`).join(', ')}`);
        }
        finally {
            await db.drop();
        }
    }
    return out;
}
function formatRanges(figures, chunks, machine) {
    const base = figures.find((f) => f.parallelism === 1) ?? figures[0];
    const cell = (ms, baseMs) => `${(ms / 1000).toFixed(1)} s (${ms > 0 ? (baseMs / ms).toFixed(2) : '-'}×)`;
    const lines = [
        `Concurrent key ranges at ${chunks} chunks (plan.copy.parallelism; wall time, speed-up against ${base.parallelism}); ${machine}`,
        '',
        `| parallelism | ${RULES.join(' | ')} | all copy rules | whole run |`,
        `| --- | ${RULES.map(() => '---').join(' | ')} | --- | --- |`,
    ];
    for (const f of figures) {
        lines.push(`| ${f.parallelism} | ${RULES.map((r) => cell(f.rules[r], base.rules[r])).join(' | ')} | ${cell(f.copyMs, base.copyMs)} | ${cell(f.totalMs, base.totalMs)} |`);
    }
    return lines.join('\n');
}
//# sourceMappingURL=ranges.js.map