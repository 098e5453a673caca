"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.fitLines = fitLines;
exports.redraw = redraw;
/**
 * Lines that fit a terminal: a line longer than the width wraps by itself and breaks the redraw
 * (watch moves the cursor up by the lines it printed), so each is broken at spaces first, its
 * continuation indented. Never longer than `columns - 1`, so no terminal wraps it.
 */
function fitLines(lines, columns) {
    const max = Math.max(20, columns - 1);
    return lines.flatMap((line) => {
        const out = [];
        let rest = line;
        while (rest.length > max) {
            const cut = rest.lastIndexOf(' ', max);
            const at = cut > max / 3 ? cut : max;
            out.push(rest.slice(0, at));
            rest = `    ${rest.slice(at).trimStart()}`;
        }
        out.push(rest);
        return out;
    });
}
/** Redraws a frame in place: up over the previous one, each line cleared, what is left below cleared. */
function redraw(previousLines, lines) {
    const up = previousLines > 0 ? `\x1b[${previousLines}A\r` : '';
    return `${up}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\x1b[0J`;
}
//# sourceMappingURL=terminal.js.map