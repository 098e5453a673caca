"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.cancelled = exports.heartbeat = void 0;
exports.releaseContext = releaseContext;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const release_1 = require("../../../common/release");
const command_1 = require("../command");
const config_1 = require("../config");
const deployers_1 = require("../deployers");
const switch_1 = require("../switch");
// The service's table names are env-overridable; only names that differ from its defaults are set.
const SERVICE_TABLES = [
    ['TEXTS', (p) => p.legacy.texts, 'texts'],
    ['CHUNKS_LEGACY', (p) => p.legacy.chunks, 'chunks_legacy'],
    ['TEMPLATES_LEGACY', (p) => p.legacy.templates, 'templates_legacy'],
    ['TEMPLATE_SLOTS_LEGACY', (p) => p.legacy.slots, 'template_slots_legacy'],
    ['TEMPLATE_SLOT_INSTANCES_LEGACY', (p) => p.legacy.instances, 'template_slot_instances_legacy'],
    ['CHUNK_TAGS_LEGACY', (p) => p.legacy.tags, 'chunk_tags_legacy'],
    ['EMBEDDINGS_LEGACY', (p) => p.legacy.embeddings, 'embeddings_legacy'],
    ['CHUNKS_UNIFIED', (p) => p.target.chunks, 'chunks_unified'],
    ['EMBEDDINGS_V2', (p) => p.target.embeddings, 'embeddings_v2'],
];
function releaseContext(deps, plan) {
    const release = (0, release_1.releasePlanOf)(plan);
    const dir = (configured, fallback) => configured && node_path_1.default.isAbsolute(configured) ? configured : node_path_1.default.join(deps.stateRoot, configured ?? node_path_1.default.join(plan.database, fallback));
    const deployDir = dir(release.deployer.stateDir, 'deploy');
    const nginxDir = dir(release.traffic.nginx.stateDir, 'nginx');
    const runner = deps.runner ?? command_1.execRunner;
    const deployer = release.deployer.kind === 'process'
        ? (0, deployers_1.createDeployer)({ kind: 'process', stateDir: deployDir })
        : (0, deployers_1.createDeployer)({ kind: 'docker', runner });
    const lbUrl = release.traffic.lbUrl ?? `http://127.0.0.1:${release.traffic.nginx.listenPort}`;
    const env = () => {
        let url = deps.resolveUrl(plan.database);
        if (plan.schema !== 'public') {
            const u = new URL(url);
            u.searchParams.set('options', `-c search_path=${plan.schema},public`);
            url = u.toString();
        }
        const out = { DATABASE_URL: url };
        for (const [key, of, def] of SERVICE_TABLES)
            if (of(plan) !== def)
                out[`STP_TABLE_${key}`] = of(plan);
        const source = deps.env ?? process.env;
        for (const name of release.deployer.env)
            if (source[name] !== undefined)
                out[name] = source[name];
        return out;
    };
    return {
        plan, release, deployer, deployDir, nginxDir, lbUrl,
        spec(side) {
            const s = release.deployer[side];
            const config = (0, config_1.instanceConfig)(release, side);
            return { instance: s.instance, version: s.version, port: s.port, env: env(),
                ...(s.command ? { command: s.command } : {}), ...(s.image ? { image: s.image } : {}), ...(config ? { config } : {}) };
        },
        target(side) {
            const s = release.deployer[side];
            return { instance: s.instance, port: s.port, version: s.version };
        },
        findHandle(side) {
            const s = release.deployer[side];
            if (release.deployer.kind === 'docker') {
                return { kind: 'docker', instance: s.instance, identity: s.instance, version: s.version, port: s.port, specHash: '',
                    container: `semantic-text-processor-${s.instance}` };
            }
            try {
                const st = JSON.parse(node_fs_1.default.readFileSync(node_path_1.default.join(deployDir, `${s.instance}.json`), 'utf8'));
                return { kind: 'process', instance: s.instance, identity: st.identity, version: st.version, port: st.port,
                    specHash: st.specHash, pid: st.pid, logFile: node_path_1.default.join(deployDir, `${s.instance}.log`) };
            }
            catch {
                return null;
            }
        },
        trafficSwitch() {
            return release.traffic.kind === 'nginx'
                ? (0, switch_1.createTrafficSwitch)({ kind: 'nginx', layout: (0, switch_1.nginxLayout)(nginxDir), lbUrl, nginxBin: deps.nginxBin, runner: deps.runner })
                : (0, switch_1.createTrafficSwitch)({ kind: 'command', command: release.traffic.command?.argv ?? [], lbUrl, runner });
        },
    };
}
var heartbeat_1 = require("../../heartbeat");
Object.defineProperty(exports, "heartbeat", { enumerable: true, get: function () { return heartbeat_1.heartbeat; } });
Object.defineProperty(exports, "cancelled", { enumerable: true, get: function () { return heartbeat_1.cancellationSignal; } });
//# sourceMappingURL=context.js.map