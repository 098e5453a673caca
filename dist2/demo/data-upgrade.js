"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.demoPlan = demoPlan;
exports.runUpgrade = runUpgrade;
exports.dataUpgradePhase = dataUpgradePhase;
exports.summariseData = summariseData;
const promises_1 = require("node:timers/promises");
const watch_1 = require("../client/commands/watch");
const monitor_live_1 = require("../client/monitor-live");
const upgrade_outcome_1 = require("../client/upgrade-outcome");
const upgrade_view_1 = require("../client/upgrade-view");
const names_1 = require("../common/names");
const plan_1 = require("../common/plan");
const context_1 = require("./context");
const search_attributes_1 = require("../client/search-attributes");
/**
 * The demo's plan: every data step but backup (PGlite has no pg_dump), defects quarantined, small
 * batches; with `release` (demo/release.ts) the release steps follow in the same run.
 */
function demoPlan(opts, release) {
    const data = plan_1.DATA_STEPS.filter((s) => s !== 'backup');
    const parsed = (0, plan_1.parsePlan)({
        database: 'primary',
        defects: { policy: 'quarantine' },
        copy: { batchSize: opts.batchSize },
        graph: { batchSize: opts.batchSize },
        steps: release ? [...data, ...plan_1.RELEASE_STEPS] : data,
        // PGlite runs one transaction at a time: the cut-over replays inside its own hold
        sync: { replayUnderHold: 'holding-connection' },
        ...(release ? { release } : {}),
    });
    if (!parsed.ok)
        throw new Error(`demo plan is invalid: ${parsed.errors.join('; ')}`);
    return parsed.plan;
}
/**
 * Starts the upgrade workflow with `plan`, watches it live and returns its outcome and duration;
 * throws DemoFailure when it did not complete.
 */
async function runUpgrade(ctx, plan, extras = {}) {
    ctx.log(`plan: steps ${plan.steps.join(' → ')}; defects.policy ${plan.defects.policy}; batch size ${plan.copy.batchSize}`);
    ctx.log('backup step skipped: the embedded PostgreSQL has no pg_dump (a real run dumps and test-restores first)');
    const workflowId = `stp-upgrade-demo-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}Z`;
    const handle = await ctx.client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue: ctx.taskQueue, workflowId, args: [plan], ...(await (0, search_attributes_1.startDecorations)(ctx.client, plan)) });
    ctx.log(`upgrade run ${workflowId} started; follow it in the Temporal UI: ${(0, context_1.workflowUrl)(ctx, workflowId)}`);
    const started = Date.now();
    const outcome = await watch(ctx, handle, extras);
    const seconds = (Date.now() - started) / 1000;
    ctx.out((0, upgrade_view_1.formatOutcome)(outcome).join('\n'));
    if (outcome.exitCode !== 0 || !outcome.report) {
        throw new context_1.DemoFailure(`the upgrade run ended ${outcome.status.toLowerCase()} (phase ${outcome.phase}): ${outcome.error ?? 'no verify report'}`, outcome.exitCode || 1);
    }
    return { outcome, seconds };
}
/** Phase 1 (--data-only): the data upgrade workflow, watched live, ending with the verify report. */
async function dataUpgradePhase(ctx) {
    const { outcome, seconds } = await runUpgrade(ctx, demoPlan(ctx.opts));
    return summariseData(outcome.report, `data upgrade completed in ${seconds.toFixed(1)} s`);
}
async function watch(ctx, handle, extras) {
    let done = false;
    const result = (0, upgrade_outcome_1.awaitOutcome)(handle).finally(() => (done = true));
    const deadline = Date.now() + ctx.opts.timeoutMs;
    const retries = new Set();
    let drawn = 0;
    let last = '';
    let polls = 0;
    while (!done) {
        const q = await handle.query(names_1.QueryNames.progress).catch(() => undefined);
        const p = q && (await (0, monitor_live_1.withLiveMonitoring)(ctx.client, q));
        if (p && extras.onProgress)
            await extras.onProgress(p);
        const failing = polls++ % 4 === 0 ? await retryingActivities(handle) : [];
        if (done)
            break;
        const fresh = failing.filter((f) => !retries.has(f)).map((f) => (retries.add(f), `  retrying ${f}`));
        if (ctx.tty && (p || fresh.length)) {
            const lines = [...(p ? (0, upgrade_view_1.formatProgress)(p) : []), ...(extras.lines?.() ?? []), ...[...retries].slice(-3).map((f) => `  retrying ${f}`)];
            ctx.out(`${drawn ? `\x1b[${drawn}A\x1b[0J` : ''}${lines.join('\n')}`);
            drawn = lines.length;
        }
        else if (!ctx.tty) {
            // One line per change; the monitoring countdown alone is no change.
            const key = p && (0, watch_1.plainLine)(p).replace(/ left \S+( \S+s)?/, '');
            if (p && key !== last)
                ctx.log(`${(0, watch_1.plainLine)(p)}${p.rowsPerSec && isDataStep(p.step) ? ` (${p.rowsPerSec.toLocaleString('en-US')} rows/s)` : ''}`);
            if (p)
                last = key;
            for (const line of fresh)
                ctx.log(line.trim());
        }
        if (Date.now() > deadline) {
            ctx.log(`no result within ${ctx.opts.timeoutMs / 1000} s: cancelling the run (it rolls back)`);
            await handle.cancel().catch(() => undefined);
            const outcome = await Promise.race([result, (0, promises_1.setTimeout)(60_000).then(() => undefined)]);
            throw new context_1.DemoFailure(`the upgrade run did not finish within ${ctx.opts.timeoutMs / 1000} s${outcome ? ` (then: ${outcome.phase})` : ''}`, 1);
        }
        await Promise.race([result, (0, promises_1.setTimeout)(ctx.opts.intervalMs)]);
    }
    if (ctx.tty && drawn)
        ctx.out(`\x1b[${drawn}A\x1b[0J`);
    return result;
}
function isDataStep(step) {
    return step !== undefined && plan_1.DATA_STEPS.includes(step);
}
/** Activities being retried after a failure ("copySlice attempt 3: <error>"), so a stuck run says why. */
async function retryingActivities(handle) {
    try {
        const d = await handle.describe();
        return (d.raw.pendingActivities ?? [])
            .filter((a) => (a.attempt ?? 1) > 1 && a.lastFailure?.message)
            .map((a) => `${a.activityType?.name ?? 'activity'} (attempt ${a.attempt}): ${a.lastFailure.message.split('\n')[0].slice(0, 200)}`);
    }
    catch {
        return [];
    }
}
/** The closing lines: every legacy row migrated or quarantined, and the per-rule checksums. */
function summariseData(r, headline) {
    let rows = 0;
    let migrated = 0;
    let quarantined = 0;
    const unbalanced = [];
    for (const [table, v] of Object.entries(r.legacy)) {
        rows += v.rows;
        migrated += v.migrated;
        quarantined += v.quarantined;
        if (v.migrated + v.quarantined !== v.rows)
            unbalanced.push(table);
    }
    const matched = r.checksums.filter((c) => c.match).length;
    if (!r.ok || unbalanced.length > 0 || matched !== r.checksums.length) {
        throw new context_1.DemoFailure(`verification did not prove the copy: ${[...r.problems, ...unbalanced.map((t) => `${t}: migrated + quarantined != rows`)].join('; ')}`, 1);
    }
    return [
        `${headline}: ${rows.toLocaleString('en-US')} legacy rows = ${migrated.toLocaleString('en-US')} migrated + ${quarantined.toLocaleString('en-US')} quarantined`,
        `checksums per rule: ${matched}/${r.checksums.length} match (${r.checksums.map((c) => c.rule).join(', ')})`,
    ];
}
//# sourceMappingURL=data-upgrade.js.map