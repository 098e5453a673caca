"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.startNginx = startNginx;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const atomic_1 = require("../atomic");
const errors_1 = require("../errors");
const http_probe_1 = require("../http-probe");
const nginx_control_1 = require("./nginx-control");
const nginx_files_1 = require("./nginx-files");
/**
 * Starts an nginx of the project's own, listening on 127.0.0.1:listenPort and proxying to the
 * upstream target, or adopts the one already running from this state directory untouched (an
 * existing upstream file is kept too), so that a retried start never moves traffic.
 */
async function startNginx(opts) {
    const layout = (0, nginx_files_1.nginxLayout)(opts.stateDir);
    const control = new nginx_control_1.NginxControl(layout, opts.nginxBin, opts.runner);
    const url = `http://127.0.0.1:${opts.listenPort}`;
    const instance = { layout, url, control, stop: (graceMs) => control.stop(graceMs) };
    // An nginx already running is adopted as it is: probing it would go through its upstream (a
    // degraded green during a rollback answers slowly), and stopping it on a slow answer is an outage.
    if (control.pid() !== null)
        return instance;
    // Workers run as an unprivileged user when the master is root: they must reach the temp dirs.
    node_fs_1.default.mkdirSync(node_path_1.default.join(layout.prefix, 'temp'), { recursive: true });
    node_fs_1.default.chmodSync(layout.prefix, 0o755);
    (0, atomic_1.writeFileAtomic)(layout.conf, (0, nginx_files_1.renderNginxConf)(layout, opts.listenPort, { tempPaths: await control.tempPathModules() }));
    if (!node_fs_1.default.existsSync(layout.upstreamFile))
        (0, atomic_1.writeFileAtomic)(layout.upstreamFile, (0, nginx_files_1.renderUpstream)(opts.upstream));
    await control.test();
    await control.reloadOrStart();
    const deadline = Date.now() + 5000;
    for (;;) {
        const r = await (0, http_probe_1.probe)(`${url}/api/v1/health`, 1000).catch((e) => e);
        if (!(r instanceof Error))
            return instance;
        if (Date.now() > deadline) {
            await control.stop(1000);
            throw new errors_1.NginxCommandError(`nginx did not answer on ${url}: ${r.message}; see ${layout.errorLog}`);
        }
        await (0, http_probe_1.sleep)(50);
    }
}
//# sourceMappingURL=nginx-instance.js.map