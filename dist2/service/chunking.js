"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseChunks = parseChunks;
const node_crypto_1 = require("node:crypto");
/** Indentation depth: a tab or two spaces per level. */
function depth(indent) {
    let level = 0;
    let spaces = 0;
    for (const ch of indent) {
        if (ch === '\t') {
            level += 1 + Math.floor(spaces / 2);
            spaces = 0;
        }
        else {
            spaces++;
        }
    }
    return level + Math.floor(spaces / 2);
}
/**
 * Splits content into one chunk per non-blank line. The parent of a line is the nearest earlier
 * line with a smaller level; a line indented more than one level below its parent is clamped to
 * parent + 1 so that indent_level always equals the depth in the tree. Sequence numbers start at 0.
 */
function parseChunks(content) {
    const out = [];
    const stack = [];
    for (const raw of content.split(/\r?\n/)) {
        const m = /^([ \t]*)(.*?)\s*$/.exec(raw);
        if (!m || m[2] === '')
            continue;
        const level = Math.min(depth(m[1]), stack.length);
        stack.length = level;
        const chunk = {
            id: (0, node_crypto_1.randomUUID)(),
            content: m[2],
            parentChunkId: level > 0 ? stack[level - 1].id : null,
            indentLevel: level,
            sequenceNumber: out.length,
        };
        stack.push(chunk);
        out.push(chunk);
    }
    return out;
}
//# sourceMappingURL=chunking.js.map