import type { Validator } from './json-store.js';

/**
 * Shallow structural checks for the data files, for processes whose start-up cannot afford zod:
 * a bridge is spawned per client session, and loading zod costs it ~70 ms and ~8 MB. Every
 * writer still validates the whole document with the zod schema (app/projects/project.ts …);
 * these checks only make sure a reader never acts on a mangled file.
 */
export type Check = (value: unknown, path: PropertyKey[]) => Issue | undefined;
interface Issue {
  path: PropertyKey[];
  message: string;
}

const typed =
  (type: 'string' | 'boolean' | 'number'): Check =>
  (v, path) =>
    typeof v === type ? undefined : { path, message: `expected a ${type}` };

export const str = typed('string');
export const bool = typed('boolean');
export const number = typed('number');

export const literal =
  (expected: string | number): Check =>
  (v, path) =>
    v === expected ? undefined : { path, message: `expected ${JSON.stringify(expected)}` };

export const optional =
  (check: Check): Check =>
  (v, path) =>
    v === undefined ? undefined : check(v, path);

export const nullable =
  (check: Check): Check =>
  (v, path) =>
    v === null ? undefined : check(v, path);

export const oneOf =
  (values: readonly string[]): Check =>
  (v, path) =>
    typeof v === 'string' && values.includes(v)
      ? undefined
      : { path, message: `expected one of ${values.join(', ')}` };

export const arrayOf =
  (check: Check): Check =>
  (v, path) => {
    if (!Array.isArray(v)) return { path, message: 'expected an array' };
    for (let i = 0; i < v.length; i++) {
      const issue = check(v[i], [...path, i]);
      if (issue) return issue;
    }
    return undefined;
  };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const recordOf =
  (check: Check): Check =>
  (v, path) => {
    if (!isPlainObject(v)) return { path, message: 'expected an object' };
    for (const [k, item] of Object.entries(v)) {
      const issue = check(item, [...path, k]);
      if (issue) return issue;
    }
    return undefined;
  };

/** An object with at least these fields (others are kept: newer writers may add some). */
export const object =
  (fields: Record<string, Check>): Check =>
  (v, path) => {
    if (!isPlainObject(v)) return { path, message: 'expected an object' };
    for (const [k, check] of Object.entries(fields)) {
      const issue = check(v[k], [...path, k]);
      if (issue) return issue;
    }
    return undefined;
  };

/** A JsonStore validator from a check; the data is passed through as it is. */
export function shapeValidator<T>(check: Check): Validator<T> {
  return {
    safeParse(raw) {
      const issue = check(raw, []);
      return issue
        ? { success: false, error: { issues: [issue] } }
        : { success: true, data: raw as T };
    },
  };
}
