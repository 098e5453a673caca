"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.formatIssues = formatIssues;
const redact_1 = require("./redact");
const suggest_1 = require("./suggest");
/**
 * One line per problem, in the operator's words: the field's full path, what is expected (limits
 * included), what was given (passwords redacted) and, for a misspelt name, the closest valid one:
 *   plan.copy.batchSize: expected a positive integer, got "abc"
 *   plan.copy.batchSize: expected at most 1,000,000, got 100000000000
 *   plan.copy.batchsize: unknown field (did you mean "batchSize"?)
 * `schema` (the object schema validated) lets an unknown field be matched to the known ones.
 * Pure: workflows use it, and its output reaches their history.
 */
function formatIssues(root, error, input, schema) {
    return error.issues.flatMap((issue) => {
        const at = (path) => [root, ...path.map(String)].join('.');
        if (issue.code === 'unrecognized_keys') {
            const known = schema ? keysAt(schema, issue.path) : [];
            return issue.keys.map((k) => `${at([...issue.path, k])}: unknown field${(0, suggest_1.didYouMean)(k, known)}${known.length ? `; known fields: ${known.join(', ')}` : ''}`);
        }
        const got = valueAt(input, issue.path);
        const shown = got === undefined ? '' : `, got ${(0, redact_1.redact)(JSON.stringify(got) ?? String(got)).slice(0, 80)}`;
        return [(0, redact_1.redact)(`${at(issue.path)}: ${describe(issue, got)}${shown}`)];
    });
}
/** zod's own wording ("Too small: expected array to have >=1 items") replaced by plain text. */
function describe(issue, got) {
    const own = !/^(Invalid|Too (small|big)|Unrecognized)/.test(issue.message);
    switch (issue.code) {
        case 'invalid_type': {
            if (got === undefined)
                return `required (expected ${article(issue.expected)})`;
            const base = own ? issue.message : `expected ${article(issue.expected)}`;
            const quoted = issue.expected === 'number' && typeof got === 'string' && got.trim() !== '' && !Number.isNaN(Number(got));
            return quoted ? `${base} (write it without quotes)` : base;
        }
        case 'too_small': {
            if (own && /\d/.test(issue.message))
                return issue.message;
            const min = Number(issue.minimum);
            if (issue.origin === 'array' || issue.origin === 'set')
                return `expected at least ${min} item${min === 1 ? '' : 's'}`;
            if (issue.origin === 'string')
                return min === 1 ? 'must not be empty' : `expected at least ${min} characters`;
            const bound = `${issue.inclusive ? 'at least' : 'more than'} ${min.toLocaleString('en-US')}`;
            // "expected a positive integer" says its bound already
            if (own)
                return min === 0 && !issue.inclusive ? issue.message : `${issue.message} (${bound})`;
            return `expected ${bound}`;
        }
        case 'too_big': {
            if (own && /\d/.test(issue.message))
                return issue.message;
            const max = Number(issue.maximum);
            if (issue.origin === 'array' || issue.origin === 'set')
                return `expected at most ${max} items`;
            if (issue.origin === 'string')
                return `expected at most ${max} characters`;
            return `expected ${issue.inclusive ? 'at most' : 'less than'} ${max.toLocaleString('en-US')}`;
        }
        case 'invalid_value': {
            const values = issue.values.map((v) => String(v));
            return `expected one of ${values.join(', ')}${typeof got === 'string' ? (0, suggest_1.didYouMean)(got, values) : ''}`;
        }
        case 'invalid_union': {
            const u = issue;
            if (u.options?.length) {
                const values = u.options.map(String);
                return `expected one of ${values.join(', ')}${typeof got === 'string' ? (0, suggest_1.didYouMean)(got, values) : ''}`;
            }
            return own ? issue.message : 'does not match any allowed form';
        }
        default:
            return issue.message;
    }
}
function article(type) {
    if (type === 'object')
        return 'a mapping (key: value, ...)';
    if (type === 'array')
        return 'a list ([a, b, ...])';
    return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
function valueAt(input, path) {
    let v = input;
    for (const key of path) {
        if (v === null || typeof v !== 'object')
            return undefined;
        v = v[key];
    }
    return v;
}
/** The field names of the object schema at `path`, through defaults, optionals and lists. */
function keysAt(schema, path) {
    let s = schema;
    for (let i = 0; s && i <= path.length;) {
        const def = s._zod.def;
        if (def.innerType)
            s = def.innerType;
        else if (def.in)
            s = def.in;
        else if (i === path.length)
            return def.shape ? Object.keys(def.shape) : [];
        else if (def.shape)
            s = def.shape[String(path[i++])];
        else if (def.element) {
            s = def.element;
            i++;
        }
        else
            return [];
    }
    return [];
}
//# sourceMappingURL=validation.js.map