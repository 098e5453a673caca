"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.beating = exports.beat = void 0;
// Heartbeat helpers of the defect scans: the shared ones, under the names this folder uses.
var heartbeat_1 = require("../heartbeat");
Object.defineProperty(exports, "beat", { enumerable: true, get: function () { return heartbeat_1.heartbeat; } });
Object.defineProperty(exports, "beating", { enumerable: true, get: function () { return heartbeat_1.heartbeating; } });
//# sourceMappingURL=beat.js.map