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
exports.proveServing = exports.startNginx = exports.nginxBinary = exports.NginxControl = exports.renderUpstream = exports.readUpstreamTarget = exports.nginxLayout = exports.createNginxSwitch = exports.createCommandSwitch = void 0;
exports.createTrafficSwitch = createTrafficSwitch;
const command_1 = require("./command");
Object.defineProperty(exports, "createCommandSwitch", { enumerable: true, get: function () { return command_1.createCommandSwitch; } });
const nginx_1 = require("./nginx");
Object.defineProperty(exports, "createNginxSwitch", { enumerable: true, get: function () { return nginx_1.createNginxSwitch; } });
/** The traffic switch a plan asks for. */
function createTrafficSwitch(config) {
    return config.kind === 'nginx' ? (0, nginx_1.createNginxSwitch)(config) : (0, command_1.createCommandSwitch)(config);
}
var nginx_files_1 = require("./nginx-files");
Object.defineProperty(exports, "nginxLayout", { enumerable: true, get: function () { return nginx_files_1.nginxLayout; } });
Object.defineProperty(exports, "readUpstreamTarget", { enumerable: true, get: function () { return nginx_files_1.readUpstreamTarget; } });
Object.defineProperty(exports, "renderUpstream", { enumerable: true, get: function () { return nginx_files_1.renderUpstream; } });
var nginx_control_1 = require("./nginx-control");
Object.defineProperty(exports, "NginxControl", { enumerable: true, get: function () { return nginx_control_1.NginxControl; } });
Object.defineProperty(exports, "nginxBinary", { enumerable: true, get: function () { return nginx_control_1.nginxBinary; } });
var nginx_instance_1 = require("./nginx-instance");
Object.defineProperty(exports, "startNginx", { enumerable: true, get: function () { return nginx_instance_1.startNginx; } });
var prove_1 = require("./prove");
Object.defineProperty(exports, "proveServing", { enumerable: true, get: function () { return prove_1.proveServing; } });
__exportStar(require("./types"), exports);
//# sourceMappingURL=index.js.map