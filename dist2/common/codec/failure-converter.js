"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.failureConverter = void 0;
const common_1 = require("@temporalio/common");
/**
 * Failure messages and stack traces moved into an encoded payload, so the payload codec encrypts
 * them too (a failure can quote a legacy id). Loaded by path in the workflow sandbox
 * (`failureConverterPath`), hence its own module.
 */
exports.failureConverter = new common_1.DefaultFailureConverter({ encodeCommonAttributes: true });
//# sourceMappingURL=failure-converter.js.map