import type { z } from 'zod';
import { SwitchboardError } from './errors.js';

/** Parses input or throws a VALIDATION error whose message names the field and the fix. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
  const message = issue ? issue.message : 'invalid input';
  throw new SwitchboardError(
    'VALIDATION',
    field ? `Invalid ${what} ${field}: ${message}` : `Invalid ${what}: ${message}`,
    field ? { field } : undefined,
  );
}
