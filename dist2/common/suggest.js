"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.closest = closest;
exports.didYouMean = didYouMean;
/** "Did you mean": the closest known word to a mistyped one, or undefined when none is close. Pure. */
function closest(word, known) {
    const w = word.toLowerCase();
    let best;
    for (const name of known) {
        const d = distance(w, name.toLowerCase());
        if (!best || d < best.d)
            best = { name, d };
    }
    // Up to a third of the word may be wrong (strat -> start, plna -> plan, chunk -> chunks).
    return best && best.name !== word && best.d <= Math.max(1, Math.floor(word.length / 3)) ? best.name : undefined;
}
/** ` (did you mean "start"?)`, or '' when nothing is close. */
function didYouMean(word, known, prefix = '') {
    const c = closest(word, known);
    return c ? ` (did you mean "${prefix}${c}"?)` : '';
}
/** Optimal string alignment distance: a swap of two neighbours (strat/start) counts as one edit. */
function distance(a, b) {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++)
        d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}
//# sourceMappingURL=suggest.js.map