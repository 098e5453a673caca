"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=registry-types.js.map