"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.redact = redact;
exports.hasSecret = hasSecret;
/**
 * Removes passwords from text before it is shown, logged or stored in a workflow's history: the
 * password of a URL (`postgres://stp:secret@127.0.0.1/stp` -> `postgres://stp:***@127.0.0.1/stp`) and libpq
 * `password=...` pairs. Pure, so workflows use it too.
 */
function redact(text) {
    return text
        .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`]*):([^\s@"'`]*)@/gi, '$1:***@')
        .replace(/(password\s*=\s*)('[^']*'|"[^"]*"|[^\s&;,"']+)/gi, '$1***');
}
/** Whether a text holds a URL with a password or a libpq password pair. */
function hasSecret(text) {
    return redact(text) !== text;
}
//# sourceMappingURL=redact.js.map