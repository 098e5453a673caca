"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.readPlanFile = readPlanFile;
exports.loadPlan = loadPlan;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const yaml_1 = __importDefault(require("yaml"));
const plan_validation_1 = require("../common/plan-validation");
const redact_1 = require("../common/redact");
const names_1 = require("../common/names");
const command_1 = require("./command");
/** Reads a plan file: JSON when it ends in .json, else YAML (which also reads JSON). */
function readPlanFile(file) {
    let text;
    try {
        text = node_fs_1.default.readFileSync(file, 'utf8');
    }
    catch (err) {
        throw new command_1.CliError(`cannot read the plan file ${file}: ${err.message}`, names_1.ExitCodes.badInput);
    }
    try {
        if (node_path_1.default.extname(file).toLowerCase() === '.json')
            return JSON.parse(text);
        const doc = yaml_1.default.parseDocument(text, { prettyErrors: true });
        if (doc.errors.length > 0)
            throw new Error(doc.errors.map((e) => e.message).join('\n'));
        return doc.toJS() ?? null;
    }
    catch (err) {
        throw new command_1.CliError(`the plan file ${file} is not valid ${node_path_1.default.extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(0, redact_1.redact)(err.message)}`, names_1.ExitCodes.badInput);
    }
}
/**
 * Reads and validates a plan file, reporting every problem at once (exit 2). The resolved plan,
 * defaults included, is what the workflow receives: a later change of a default never alters a
 * run that has already started.
 */
function loadPlan(file) {
    const input = readPlanFile(file);
    if (input === null)
        throw new command_1.CliError(`the plan file ${file} is empty: ${plan_validation_1.EMPTY.replace('plan: empty; ', '')}`, names_1.ExitCodes.badInput);
    // The same function the workflow runs on entry: what passes here is never refused there.
    const parsed = (0, plan_validation_1.validatePlan)(input);
    if (!parsed.ok) {
        throw new command_1.CliError(`invalid plan ${file}:\n  ${parsed.errors.join('\n  ')}\nRun \`stp-upgrade plan check ${file}\` after fixing it.`, names_1.ExitCodes.badInput);
    }
    return parsed.plan;
}
//# sourceMappingURL=plan-file.js.map