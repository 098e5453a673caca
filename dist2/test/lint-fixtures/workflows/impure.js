"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.impure = impure;
// Deliberately breaks the workflow rules; test/unit/lint.test.ts checks that ESLint says so.
const node_fs_1 = __importDefault(require("node:fs"));
const pg_1 = __importDefault(require("pg"));
const assess_1 = require("../../../activities/assess");
async function impure() {
    void node_fs_1.default;
    void pg_1.default;
    void assess_1.createAssessActivities;
    Promise.resolve(1);
}
//# sourceMappingURL=impure.js.map