"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RunSearch = void 0;
exports.outcomeOf = outcomeOf;
exports.detailsMarkdown = detailsMarkdown;
const workflow_1 = require("@temporalio/workflow");
const search_attributes_1 = require("../../common/search-attributes");
/** Runs started before this change upsert nothing (their histories have no upsert commands). */
const SEARCH_PATCH = 'stp-search-attributes-v1';
/** Rows copied are upserted at most this often (workflow time): each upsert is a history event. */
const ROWS_EVERY_MS = 30_000;
/**
 * The saga's typed search attributes and the Temporal UI's current details. Upserts happen only
 * when the run's start carried StpDatabase: the client sets it only when the namespace has the
 * attributes registered, and upserting one the namespace does not know would fail every workflow
 * task. Without them (a namespace not set up, the time-skipping test server) only the details
 * are kept, which need no registration.
 */
class RunSearch {
    enabled;
    last = '';
    rowsAt = 0;
    rows = -1;
    constructor(enabled) {
        this.enabled = enabled;
    }
    /** Decided once per execution, at its start (the patch marker sits at the same place on replay). */
    static atStart() {
        const patch = (0, workflow_1.patched)(SEARCH_PATCH);
        return new RunSearch(patch && (0, workflow_1.workflowInfo)().typedSearchAttributes.get(search_attributes_1.StpDatabase) !== undefined);
    }
    /** A plan refused on entry: nothing ran, so there is no progress yet. */
    refused(errors) {
        (0, workflow_1.setCurrentDetails)(`**refused**: invalid plan, nothing was changed\n\n${errors.map((e) => `- ${e}`).join('\n')}`);
        if (this.enabled)
            (0, workflow_1.upsertSearchAttributes)([{ key: search_attributes_1.StpPhase, value: 'blocked' }, { key: search_attributes_1.StpOutcome, value: 'refused' }]);
    }
    /** Phase, step, rows, outcome and schema version as the progress says now; unchanged values are not upserted again. */
    publish(p, outcome, opts = {}) {
        (0, workflow_1.setCurrentDetails)(detailsMarkdown(p));
        if (!this.enabled)
            return;
        const rows = Object.values(p.rules).reduce((n, r) => n + (r?.done ?? 0), 0);
        const now = Date.now();
        // Rows alone (after a copy slice) at most every ROWS_EVERY_MS; with any other change, at once.
        const rowsDue = rows !== this.rows && (!opts.rows || now - this.rowsAt >= ROWS_EVERY_MS);
        const pairs = [
            { key: search_attributes_1.StpPhase, value: p.phase },
            { key: search_attributes_1.StpStep, value: p.step ?? null },
            { key: search_attributes_1.StpOutcome, value: outcome ?? outcomeOf(p) },
            ...(p.finalized ? [{ key: search_attributes_1.StpSchemaVersion, value: p.finalized.schemaVersion }] : []),
        ];
        const key = JSON.stringify(pairs.map((x) => x.value));
        if (key === this.last && !rowsDue)
            return;
        if (rowsDue) {
            pairs.push({ key: search_attributes_1.StpRowsCopied, value: rows });
            this.rowsAt = now;
            this.rows = rows;
        }
        this.last = key;
        (0, workflow_1.upsertSearchAttributes)(pairs);
    }
}
exports.RunSearch = RunSearch;
function outcomeOf(p) {
    switch (p.phase) {
        case 'completed':
            return 'completed';
        case 'blocked':
            return 'refused';
        case 'rolled_back':
            return 'rolled_back';
        case 'rollback_failed':
            return 'rollback_failed';
        default:
            return 'running';
    }
}
/** The run page's current details: a small Markdown table of the steps and copy rules. */
function detailsMarkdown(p) {
    const lines = [`**${p.phase}**${p.step ? ` · step \`${p.step}\`` : ''}${p.paused ? ' · paused' : ''}`, '', '| step | status |', '| --- | --- |'];
    for (const [s, st] of Object.entries(p.steps))
        lines.push(`| ${s} | ${st} |`);
    const rules = Object.entries(p.rules);
    if (rules.length) {
        lines.push('', '| rule | rows | % |', '| --- | ---: | ---: |');
        for (const [rule, r] of rules) {
            const pct = r && r.total > 0 ? ((100 * r.done) / r.total).toFixed(1) : r?.done ? '100.0' : '0.0';
            lines.push(`| ${rule} | ${(r?.done ?? 0).toLocaleString('en-US')} / ${(r?.total ?? 0).toLocaleString('en-US')} | ${pct} |`);
        }
        lines.push('', `${p.rowsPerSec.toLocaleString('en-US')} rows/s · batch ${p.batchSize}${p.etaSeconds !== null ? ` · ETA ${Math.ceil(p.etaSeconds / 60)} min` : ''}`);
    }
    if (p.backup)
        lines.push('', `backup: \`${p.backup.dir}\``);
    if (p.error)
        lines.push('', `error: ${p.error}`);
    return lines.join('\n');
}
//# sourceMappingURL=search.js.map