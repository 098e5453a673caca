import type { z } from 'zod';

/** One line per problem: `plan.copy.batchSize: expected a positive integer, got "abc"`. */
export function formatIssues(root: string, error: z.ZodError, input: unknown): string[] {
  return error.issues.map((issue) => {
    const path = [root, ...issue.path.map(String)].join('.');
    const got = valueAt(input, issue.path);
    const shown = got === undefined ? '' : `, got ${JSON.stringify(got)?.slice(0, 80)}`;
    return `${path}: ${issue.message}${issue.code === 'unrecognized_keys' ? '' : shown}`;
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
