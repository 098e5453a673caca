"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `npm run bench`: the data run (preflight → schema → copy → embeddings → verify) against the
 * set-based limit on the same server, at 100k and 1M legacy chunks (fixture --dim 256 --defects,
 * no graph). Prints figures, never pass/fail:
 *  - the ratios of issue 9: each rule vs its single `insert … select`, verify vs one full scan of
 *    every table, the whole run vs the limit (mapping statements + plain index builds + full scan);
 *  - the split of the run by step (from the workflow's history), rows/s, the worker's peak RSS;
 *  - the time lost to a kill -9 of the worker mid-copy.
 * The limit runs before and after the tool's run (its time is the mean of both), so both see the
 * same machine. Fixtures are template databases kept between runs (bench/fixture-cache.ts).
 * Options: --sizes 100k,1m (none: only the kill -9)  --seed N (7)  --dim N (256)  --batch-size N (5000)  --limit-rounds N (2)
 *          --skip-kill  --kill-size 100k (kill -9 measured twice: worker restarted; a second worker already polling)
 *          --ranges 1,2,4 [--ranges-size 100k]: only the speed-up of concurrent key ranges (bench/ranges.ts)
 */
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const db_1 = require("../activities/db");
const fixture_cache_1 = require("./fixture-cache");
const limit_1 = require("./limit");
const kill_1 = require("./kill");
const tool_run_1 = require("./tool-run");
const report_1 = require("./report");
const ranges_1 = require("./ranges");
const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : dflt);
const size = (s) => {
    const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
    if (!m)
        throw new Error(`--sizes: expected sizes like 100k,1m, got "${s}"`);
    return Math.round(Number(m[1]) * { k: 1e3, m: 1e6, '': 1 }[m[2].toLowerCase()]);
};
const log = (l) => console.log(l);
async function limitOnce(template, label, dim, plan) {
    const db = await (0, fixture_cache_1.cloneTemplate)(template, `limit_${label}`);
    try {
        const c = await db.pool.connect();
        try {
            const { parsePlan } = await Promise.resolve().then(() => __importStar(require('../common/plan')));
            const parsed = parsePlan(plan);
            if (!parsed.ok)
                throw new Error(parsed.errors.join('\n'));
            return await (0, limit_1.runLimit)(c, parsed.plan, dim, log);
        }
        finally {
            c.release();
        }
    }
    finally {
        await db.drop();
    }
}
function mean(runs) {
    const out = {};
    for (const r of runs)
        for (const [k, v] of Object.entries(r))
            out[k] = (out[k] ?? 0) + v / runs.length;
    return out;
}
async function main() {
    const sizes = opt('sizes', '100k,1m') === 'none' ? [] : opt('sizes', '100k,1m').split(',').map(size);
    const seed = Number(opt('seed', '7'));
    const dim = Number(opt('dim', '256'));
    const batchSize = Number(opt('batch-size', '5000'));
    const rounds = Math.max(1, Number(opt('limit-rounds', '2')));
    const plan = {
        database: 'primary',
        defects: { policy: 'quarantine' },
        copy: { batchSize },
        embeddings: { index: { kind: 'ivfflat' } },
        steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'],
    };
    const machine = () => `${node_os_1.default.cpus().length} cores, ${Math.round(node_os_1.default.totalmem() / 2 ** 30)} GiB, load average at the end ${node_fs_1.default.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;
    if (argv.includes('--ranges')) {
        const counts = opt('ranges', '1,2,4').split(',').map((s) => {
            const n = Number(s);
            if (!Number.isInteger(n) || n < 1 || n > 64)
                throw new Error(`--ranges: expected parallelism values like 1,2,4 (1-64), got "${s}"`);
            return n;
        });
        const chunks = size(opt('ranges-size', '100k'));
        log(`== concurrent key ranges at ${chunks} chunks: parallelism ${counts.join(', ')}`);
        const tpl = await (0, fixture_cache_1.ensureTemplate)({ chunks, seed, dim }, log);
        console.log((0, ranges_1.formatRanges)(await (0, ranges_1.measureRanges)(tpl.name, plan, counts, log), chunks, machine()));
        return;
    }
    const figures = [];
    for (const chunks of sizes) {
        log(`== ${chunks} chunks`);
        const tpl = await (0, fixture_cache_1.ensureTemplate)({ chunks, seed, dim }, log);
        if (tpl.generatedMs !== null)
            log(`  fixture template ${tpl.name} generated in ${(tpl.generatedMs / 1000).toFixed(1)} s`);
        const limits = [];
        limits.push(await limitOnce(tpl.name, `${chunks}_a`, dim, plan));
        const db = await (0, fixture_cache_1.cloneTemplate)(tpl.name, `run_${chunks}`);
        let tool;
        let legacyRows = 0;
        try {
            const { rows } = await db.pool.query(`select ((select count(*) from texts) + (select count(*) from chunks_legacy) + (select count(*) from templates_legacy)
               + (select count(*) from template_slots_legacy) + (select count(*) from template_slot_instances_legacy)
               + (select count(*) from chunk_tags_legacy) + (select count(*) from embeddings_legacy))::int as n`);
            legacyRows = rows[0].n;
            log(`  tool run (${legacyRows} legacy rows)`);
            tool = await (0, tool_run_1.runTool)(db.url, plan, String(chunks));
            log(`    tool run ${(tool.totalMs / 1000).toFixed(1)} s, worker peak RSS ${tool.rssMb} MB`);
        }
        finally {
            await db.drop();
        }
        for (let i = 1; i < rounds; i++)
            limits.push(await limitOnce(tpl.name, `${chunks}_b`, dim, plan));
        figures.push({ chunks, legacyRows, tool, limit: mean(limits), limitTotalMs: (0, limit_1.limitTotal)(mean(limits)) });
    }
    const kills = [];
    for (const mode of argv.includes('--skip-kill') ? [] : ['restart', 'standby']) {
        const chunks = size(opt('kill-size', '100k'));
        log(`== kill -9 mid-copy at ${chunks} chunks, ${mode}`);
        const tpl = await (0, fixture_cache_1.ensureTemplate)({ chunks, seed, dim }, log);
        const db = await (0, fixture_cache_1.cloneTemplate)(tpl.name, `kill_${chunks}`);
        try {
            kills.push(await (0, kill_1.measureKill)(db, { ...plan, copy: { batchSize: 1000 }, steps: ['preflight', 'schema', 'copy'] }, mode, log));
        }
        finally {
            await db.drop();
        }
    }
    console.log((0, report_1.formatReport)(figures, kills, machine()));
}
main().catch((err) => {
    console.error(`bench: ${(0, db_1.describePgError)(err)}`);
    process.exit(1);
});
//# sourceMappingURL=data-run.js.map