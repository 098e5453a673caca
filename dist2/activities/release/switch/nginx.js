"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createNginxSwitch = createNginxSwitch;
const node_fs_1 = __importDefault(require("node:fs"));
const atomic_1 = require("../atomic");
const errors_1 = require("../errors");
const nginx_control_1 = require("./nginx-control");
const nginx_files_1 = require("./nginx-files");
const prove_1 = require("./prove");
/**
 * kind nginx: rewrite the upstream file atomically, `nginx -t`, reload (or start), prove. A config
 * that nginx rejects puts the previous upstream file back before throwing.
 */
function createNginxSwitch(opts) {
    const control = new nginx_control_1.NginxControl(opts.layout, opts.nginxBin, opts.runner);
    const file = opts.layout.upstreamFile;
    const sw = {
        kind: 'nginx',
        async switchTo(target, { previous } = {}) {
            const before = node_fs_1.default.existsSync(file) ? node_fs_1.default.readFileSync(file, 'utf8') : null;
            const prev = previous ?? (0, nginx_files_1.readUpstreamTarget)(file);
            (0, atomic_1.writeFileAtomic)(file, (0, nginx_files_1.renderUpstream)(target));
            try {
                await control.test();
            }
            catch (err) {
                if (before === null)
                    node_fs_1.default.rmSync(file, { force: true });
                else
                    (0, atomic_1.writeFileAtomic)(file, before);
                throw err;
            }
            const attempts = opts.attempts ?? 3;
            let last;
            for (let attempt = 1; attempt <= attempts; attempt++) {
                await control.reloadOrStart();
                try {
                    const proof = await (0, prove_1.proveServing)(opts.lbUrl, target, opts.proof);
                    return { target, previous: prev, attempts: attempt, proof };
                }
                catch (err) {
                    if (!(err instanceof errors_1.SwitchNotProvenError))
                        throw err;
                    last = err;
                }
            }
            throw new errors_1.SwitchNotProvenError(`nginx reloaded ${attempts} times but traffic did not move: ${last.message}`);
        },
        undo: (result) => result.previous ? sw.switchTo(result.previous, { previous: result.target }) : Promise.resolve(null),
    };
    return sw;
}
//# sourceMappingURL=nginx.js.map