"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createProcessDeployer = exports.createDockerDeployer = void 0;
exports.createDeployer = createDeployer;
const docker_1 = require("./docker");
Object.defineProperty(exports, "createDockerDeployer", { enumerable: true, get: function () { return docker_1.createDockerDeployer; } });
const process_1 = require("./process");
Object.defineProperty(exports, "createProcessDeployer", { enumerable: true, get: function () { return process_1.createProcessDeployer; } });
/** The deployer a plan asks for. */
function createDeployer(config) {
    return config.kind === 'process' ? (0, process_1.createProcessDeployer)(config) : (0, docker_1.createDockerDeployer)(config);
}
__exportStar(require("./types"), exports);
//# sourceMappingURL=index.js.map