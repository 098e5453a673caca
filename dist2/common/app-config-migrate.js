"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.migrateAppConfig = migrateAppConfig;
const yaml_1 = __importDefault(require("yaml"));
const app_config_1 = require("./app-config");
const show = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
/**
 * The new version's config.yaml from the old one (config_migration.sh without its heredoc): every
 * setting the old file has keeps its value, the unified-chunk features are turned on, settings the
 * old file lacks are written with the runbook's values, keys the new version does not know are
 * removed. Comments and order of the old file are kept. `changes` says what differs, one per line.
 * An old file with an invalid value is refused (fix it first: its value would be carried over).
 */
function migrateAppConfig(oldText) {
    const parsed = yaml_1.default.parseDocument(oldText, { prettyErrors: true });
    if (parsed.errors.length > 0)
        return { ok: false, errors: parsed.errors.map((e) => `config: not valid YAML: ${e.message}`) };
    const old = parsed.toJS() ?? {};
    if (typeof old !== 'object' || old === null || Array.isArray(old)) {
        return { ok: false, errors: ['config: expected a mapping with the sections server, database, features, cache, performance, logging'] };
    }
    // a file of comments only has no contents to add to
    const doc = parsed.contents === null ? new yaml_1.default.Document({}) : parsed;
    const changes = [];
    const defaults = app_config_1.AppConfigSchema.parse({});
    const oldMap = old;
    for (const key of Object.keys(oldMap)) {
        if (!app_config_1.CONFIG_SECTIONS.includes(key)) {
            doc.deleteIn([key]);
            changes.push(`removed ${key} (not a section of the new version's config.yaml)`);
        }
    }
    for (const section of app_config_1.CONFIG_SECTIONS) {
        const had = oldMap[section];
        const values = had && typeof had === 'object' && !Array.isArray(had) ? had : {};
        if (had !== undefined && values !== had)
            return { ok: false, errors: [`config.${section}: expected a mapping, got ${show(had)}`] };
        for (const key of Object.keys(values)) {
            if (!(key in defaults[section])) {
                doc.deleteIn([section, key]);
                changes.push(`removed ${section}.${key} (not a setting of the new version)`);
            }
        }
        for (const [key, value] of Object.entries(defaults[section])) {
            const unified = section === 'features' && app_config_1.UNIFIED_FEATURES.includes(key);
            if (unified && values[key] !== true) {
                doc.setIn([section, key], true);
                changes.push(values[key] === undefined ? `added ${section}.${key}: true (unified chunk system)` : `${section}.${key}: ${show(values[key])} -> true (unified chunk system)`);
            }
            else if (values[key] === undefined) {
                doc.setIn([section, key], value);
                changes.push(`added ${section}.${key}: ${show(value)} (the runbook's value)`);
            }
        }
    }
    const result = (0, app_config_1.parseAppConfig)(doc.toJS());
    if (!result.ok)
        return { ok: false, errors: [...result.errors, 'the old file has invalid values; fix them (they are carried over) and run config migrate again'] };
    return { ok: true, text: doc.toString(), changes };
}
//# sourceMappingURL=app-config-migrate.js.map