"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DatabaseName = void 0;
exports.databaseUrlVariable = databaseUrlVariable;
const zod_1 = require("zod");
/**
 * A database is named in workflow input, never given as a URL: the worker maps the name to a
 * connection string from its own environment (`primary` -> STP_DATABASE_URL, `reporting` ->
 * STP_DATABASE_URL_REPORTING), so no secret reaches Temporal's history.
 */
exports.DatabaseName = zod_1.z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, {
    message: 'expected a database name such as "primary" (lowercase letters, digits, _), not a URL',
});
function databaseUrlVariable(name) {
    return name === 'primary' ? 'STP_DATABASE_URL' : `STP_DATABASE_URL_${name.toUpperCase()}`;
}
//# sourceMappingURL=database-name.js.map