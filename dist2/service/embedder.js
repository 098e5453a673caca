"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.tokens = tokens;
exports.embed = embed;
exports.toVectorLiteral = toVectorLiteral;
/**
 * A deterministic local embedder: feature hashing of word tokens into a D-dimensional vector,
 * L2-normalised. It is NOT a neural model: texts are similar only when they share words. It exists
 * so that the reference service can write embeddings and rank by pgvector cosine distance (`<=>`)
 * without any network or model download.
 */
function fnv1a(s, seed = 0x811c9dc5) {
    let h = seed >>> 0;
    for (let i = 0; i < s.length; i++) {
        h ^= s.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
}
function tokens(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
}
function embed(text, dim) {
    const v = new Array(dim).fill(0);
    const words = tokens(text);
    // A text without any word still needs a non-zero vector: cosine distance to zero is NaN.
    for (const w of words.length ? words : ['\u0000empty']) {
        const idx = fnv1a(w) % dim;
        const sign = fnv1a(w, 0x9e3779b9) & 1 ? 1 : -1;
        v[idx] += sign;
    }
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    if (norm === 0)
        v[0] = 1; // every word cancelled out in the same bucket
    return norm === 0 ? v : v.map((x) => x / norm);
}
/** The pgvector text literal of a vector. */
function toVectorLiteral(v) {
    return `[${v.map((x) => (Number.isInteger(x) ? String(x) : x.toPrecision(7))).join(',')}]`;
}
//# sourceMappingURL=embedder.js.map