"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.validInstance = validInstance;
const INSTANCE = /^[a-z0-9][a-z0-9-]{0,40}$/;
function validInstance(name) {
    if (!INSTANCE.test(name))
        throw new RangeError(`instance: expected [a-z0-9-] (1-41 chars), got ${JSON.stringify(name)}`);
    return name;
}
//# sourceMappingURL=types.js.map