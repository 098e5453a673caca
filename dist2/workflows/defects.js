"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.defectsWorkflow = defectsWorkflow;
const workflow_1 = require("@temporalio/workflow");
const plan_validation_1 = require("../common/plan-validation");
const profiles_1 = require("./profiles");
const { listDefects } = (0, workflow_1.proxyActivities)({ ...profiles_1.longSql, summary: 'list legacy defects (one page)' });
/** One page of every legacy defect (`stp-upgrade defects`). Read-only; the CLI pages until `next` is null. */
async function defectsWorkflow(input) {
    const parsed = (0, plan_validation_1.validatePlan)(input?.plan);
    if (!parsed.ok)
        throw workflow_1.ApplicationFailure.nonRetryable(parsed.errors.join('\n'), 'BadInputError');
    const limit = Number.isInteger(input.limit) && input.limit > 0 && input.limit <= 10_000 ? input.limit : 2000;
    return listDefects({ plan: parsed.plan, cursor: input.cursor, limit });
}
//# sourceMappingURL=defects.js.map