"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EMPTY = void 0;
exports.validatePlan = validatePlan;
exports.releasePlanProblems = releasePlanProblems;
const plan_1 = require("./plan");
const release_1 = require("./release");
const validation_1 = require("./validation");
/**
 * THE validation of an upgrade plan: `plan check`, `start` and the workflow (on entry, also for a
 * plan typed into the Temporal UI) all call this one function, so the CLI never accepts what the
 * workflow refuses. Every problem is reported at once, each naming its field, what is wrong and
 * what to do, before anything changes. Pure and deterministic (workflow code).
 */
function validatePlan(input) {
    if (input === null || input === undefined)
        return { ok: false, errors: [exports.EMPTY] };
    if (typeof input !== 'object' || Array.isArray(input)) {
        return { ok: false, errors: [`plan: expected one mapping (database:, copy:, steps: ...), got ${Array.isArray(input) ? 'a list' : typeof input}`] };
    }
    const parsed = plan_1.PlanSchema.safeParse(input);
    if (!parsed.success)
        return { ok: false, errors: (0, validation_1.formatIssues)('plan', parsed.error, input, plan_1.PlanSchema) };
    const raw = input;
    const errors = [...stepProblems(parsed.data, raw.release !== undefined), ...tableProblems(parsed.data), ...releasePlanProblems(parsed.data)];
    return errors.length ? { ok: false, errors } : { ok: true, plan: parsed.data };
}
/** An empty plan file (`{}` typed on purpose means "every default" and is valid). */
exports.EMPTY = 'plan: empty; write at least `database: NAME` (examples/plan.yaml shows every field with its default), or `{}` for every default';
const ORDER = plan_1.ALL_STEPS.join(', ');
/** Steps: once each, in saga order, starting with preflight; release steps need plan.release. */
function stepProblems(plan, hasRelease) {
    const problems = [];
    const steps = plan.steps;
    const twice = [...new Set(steps.filter((s, i) => steps.indexOf(s) !== i))];
    if (twice.length)
        problems.push(`plan.steps: ${twice.map((s) => `"${s}"`).join(', ')} listed more than once; list each step once`);
    const rank = (s) => plan_1.ALL_STEPS.indexOf(s);
    const unique = [...new Set(steps)];
    const late = unique.findIndex((s, i) => i > 0 && rank(s) < rank(unique[i - 1]));
    if (late > 0) {
        problems.push(`plan.steps: "${unique[late]}" comes after "${unique[late - 1]}", but the saga runs steps in this order: ${ORDER}; ` +
            `write them in that order (suggested: [${[...unique].sort((a, b) => rank(a) - rank(b)).join(', ')}])`);
    }
    if (!steps.includes('preflight')) {
        problems.push('plan.steps: "preflight" is missing; every run starts with it (it checks the legacy data and takes the run\'s lease on the database): ' +
            `add it first, e.g. [preflight, ${unique.join(', ')}]`);
    }
    const release = steps.filter((s) => plan_1.RELEASE_STEPS.includes(s));
    if (release.length && !hasRelease) {
        problems.push(`plan.release: missing, but plan.steps has release steps (${release.join(', ')}); add a release: section naming green, ` +
            'blue and the load balancer (`release: {}` takes every default: blue on :8080, green on :8081, nginx on :8088), or remove the release steps');
    }
    return problems;
}
/** Target tables and graph must never be a legacy table or graph, nor each other. */
function tableProblems(plan) {
    const problems = [];
    const legacy = Object.entries(plan.legacy);
    for (const [role, table] of Object.entries(plan.target)) {
        const same = legacy.find(([, t]) => t === table);
        if (same)
            problems.push(`plan.target.${role}: "${table}" is the legacy table plan.legacy.${same[0]}; the target must be a new table: choose another name (default "${defaultTarget(role)}")`);
    }
    if (plan.target.chunks === plan.target.embeddings)
        problems.push(`plan.target.embeddings: "${plan.target.embeddings}" is also plan.target.chunks; give them different names`);
    const seen = new Map();
    for (const [role, table] of legacy) {
        const first = seen.get(table);
        if (first)
            problems.push(`plan.legacy.${role}: "${table}" is also plan.legacy.${first}; each legacy role names its own table`);
        else
            seen.set(table, role);
    }
    if (plan.graph.source.kind === 'age' && plan.graph.source.graph === plan.graph.target) {
        problems.push(`plan.graph.target: "${plan.graph.target}" is the legacy graph plan.graph.source.graph; the target must be a new graph (default "knowledge_graph_v2")`);
    }
    return problems;
}
function defaultTarget(role) {
    return role === 'chunks' ? 'chunks_unified' : 'embeddings_v2';
}
/** Release settings that cannot work together, refused before the saga changes anything. */
function releasePlanProblems(plan) {
    const release = (0, release_1.releasePlanOf)(plan);
    const problems = [];
    const has = (s) => plan.steps.includes(s);
    if (has('finalize') && release.finalize.legacyTables === 'archive' && (release.blueAfterSwitch === 'keep-warm' || !has('drain'))) {
        problems.push('plan.release.finalize.legacyTables: "archive" renames the tables blue reads; it needs the drain step with blueAfterSwitch "stop"');
    }
    for (const step of ['drain', 'monitor', 'finalize']) {
        if (has(step) && !has('switch'))
            problems.push(`plan.steps: "${step}" needs the "switch" step (it acts on green serving)`);
    }
    if (has('switch') && !has('deploy'))
        problems.push('plan.steps: "switch" needs the "deploy" step (green must run first)');
    return problems;
}
//# sourceMappingURL=plan-validation.js.map