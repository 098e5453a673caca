"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MIGRATION_MEMORY_FACTOR = void 0;
exports.MIGRATION_MEMORY_FACTOR = 2;
//# sourceMappingURL=resources.js.map