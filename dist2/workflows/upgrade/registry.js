"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.stepRegistry = void 0;
const data_steps_1 = require("./data-steps");
const release_steps_1 = require("./release-steps");
/**
 * Every step the saga knows. The saga runs the plan's steps in ALL_STEPS order (common/plan.ts);
 * the release half adds its handlers here (`...releaseSteps`). A plan naming a step without a
 * handler is refused before anything changes.
 */
exports.stepRegistry = {
    ...data_steps_1.dataSteps,
    ...release_steps_1.releaseSteps,
};
//# sourceMappingURL=registry.js.map