"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFECT_PAGE_SIZE = void 0;
/** Rows per page: a page is one short workflow, far below Temporal's payload limit. */
exports.DEFECT_PAGE_SIZE = 5000;
//# sourceMappingURL=defect-list.js.map