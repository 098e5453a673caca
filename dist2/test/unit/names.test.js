"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const database_name_1 = require("../../common/database-name");
(0, node_test_1.test)('database names map to environment variables, never URLs', () => {
    strict_1.default.equal((0, database_name_1.databaseUrlVariable)('primary'), 'STP_DATABASE_URL');
    strict_1.default.equal((0, database_name_1.databaseUrlVariable)('reporting'), 'STP_DATABASE_URL_REPORTING');
    strict_1.default.equal(database_name_1.DatabaseName.safeParse('postgres://u:p@h/db').success, false);
    strict_1.default.equal(database_name_1.DatabaseName.safeParse('primary').success, true);
});
//# sourceMappingURL=names.test.js.map