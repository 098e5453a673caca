"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.activityFields = activityFields;
exports.activityLogInterceptor = activityLogInterceptor;
/** The saga step an activity belongs to (activities/ registers them by family); others log their own name. */
const ACTIVITY_STEP = {
    assess: 'assess',
    preflight: 'preflight',
    acquireRun: 'preflight',
    forgetRun: 'preflight',
    backup: 'backup',
    createTargetSchema: 'schema',
    dropTargetSchema: 'schema',
    quarantineDefects: 'copy',
    clearQuarantine: 'copy',
    installCapture: 'copy',
    replaySync: 'copy',
    finishTargetSchema: 'embeddings',
    buildVectorIndex: 'embeddings',
    prepareGraph: 'graph',
    dropTargetGraph: 'graph',
    verify: 'verify',
    deployGreen: 'deploy',
    smokeTests: 'smoke',
    warmCache: 'smoke',
    optimizeDatabase: 'smoke',
    measureBaseline: 'smoke',
    cutover: 'switch',
    switchTraffic: 'switch',
    switchBack: 'switch',
    drain: 'drain',
    sampleService: 'monitor',
    finalize: 'finalize',
    unfinalize: 'finalize',
    removeCapture: 'finalize',
};
const RULE_STEP = { embeddings: 'embeddings', graph: 'graph' };
/** run_id, step and rule of one activity call, from its input ({ runId, plan, rule? }) and type. */
function activityFields(activityType, input) {
    const i = (input ?? {});
    const rule = typeof i.rule === 'string' ? i.rule : undefined;
    return {
        ...(typeof i.runId === 'string' ? { run_id: i.runId } : {}),
        step: (rule && RULE_STEP[rule]) || (rule ? 'copy' : ACTIVITY_STEP[activityType] ?? activityType),
        ...(rule ? { rule } : {}),
    };
}
/**
 * Adds run_id, step and rule to every log line of an activity (the SDK adds attempt and the
 * workflow id), and logs each attempt's end with its duration: one line per activity at info,
 * its failure at warn.
 */
function activityLogInterceptor(log) {
    return (ctx) => {
        let fields = { step: ctx.info.activityType };
        return {
            inbound: {
                async execute(input, next) {
                    fields = activityFields(ctx.info.activityType, input.args[0]);
                    const started = Date.now();
                    const base = { run_id: ctx.info.workflowExecution?.workflowId, ...fields, activity: ctx.info.activityType, attempt: ctx.info.attempt };
                    try {
                        const result = await next(input);
                        log.info({ ...base, duration_ms: Date.now() - started }, 'activity completed');
                        return result;
                    }
                    catch (err) {
                        log.warn({ ...base, duration_ms: Date.now() - started, error: err.message, error_type: err.name }, 'activity failed');
                        throw err;
                    }
                },
            },
            outbound: {
                getLogAttributes: (attrs, next) => next({ ...attrs, ...fields }),
            },
        };
    };
}
//# sourceMappingURL=activity-context.js.map