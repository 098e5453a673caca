"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CliError = void 0;
exports.stringOpt = stringOpt;
exports.requireOpt = requireOpt;
const names_1 = require("../common/names");
/** A failure the operator can act on: the message says what is wrong and what to do next. */
class CliError extends Error {
    exitCode;
    constructor(message, exitCode = names_1.ExitCodes.badInput) {
        super(message);
        this.exitCode = exitCode;
        this.name = 'CliError';
    }
}
exports.CliError = CliError;
function stringOpt(args, name) {
    const v = args.values[name];
    return typeof v === 'string' ? v : undefined;
}
function requireOpt(args, name, usage) {
    const v = stringOpt(args, name);
    if (!v)
        throw new CliError(`missing --${name}. Usage: ${usage}`);
    return v;
}
//# sourceMappingURL=command.js.map