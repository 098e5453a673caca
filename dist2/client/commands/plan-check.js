"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.planCheckCommand = void 0;
const yaml_1 = __importDefault(require("yaml"));
const names_1 = require("../../common/names");
const command_1 = require("../command");
const plan_file_1 = require("../plan-file");
exports.planCheckCommand = {
    name: 'plan check',
    summary: 'validate a plan file (YAML or JSON) and print it with every default filled in',
    usage: 'stp-upgrade plan check FILE [--yaml]',
    help: [
        'Prints the resolved plan as JSON (or YAML with --yaml); this is exactly what `start` sends.',
        'Every problem is listed, one per line, e.g.',
        '  plan.copy.batchSize: expected a positive integer, got "abc"',
        'Exit 0 when the plan is valid, 2 when it is not.',
        'Example: stp-upgrade plan check plans/primary.yaml --yaml',
    ].join('\n'),
    options: { yaml: { type: 'boolean' } },
    async run(args, ctx) {
        const [file, ...extra] = args.positionals;
        if (!file || extra.length > 0)
            throw new command_1.CliError(`expected exactly one plan file. Usage: ${this.usage}`);
        const plan = (0, plan_file_1.loadPlan)(file);
        ctx.out(args.values.yaml ? yaml_1.default.stringify(plan).trimEnd() : JSON.stringify(plan, null, 2));
        return names_1.ExitCodes.ok;
    },
};
//# sourceMappingURL=plan-check.js.map