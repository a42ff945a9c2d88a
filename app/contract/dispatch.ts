import { SwitchboardError, toEnvelope, type DispatchResult } from '../shared/errors.js';
import type { InvokeChannel } from './channels.js';
import { invokeContract, type OutputOf, type ParsedInputOf } from './contract.js';

export type Handlers = {
  [C in InvokeChannel]: (input: ParsedInputOf<C>) => Promise<OutputOf<C>> | OutputOf<C>;
};

export type Dispatch = (channel: unknown, input: unknown) => Promise<DispatchResult>;

/**
 * The single entry for every call from a renderer: checks the channel, validates the input,
 * runs the handler, validates the output (so nothing outside the schema, such as a secret,
 * reaches a window) and returns an envelope. It never throws.
 */
export function createDispatcher(handlers: Handlers): Dispatch {
  return async (channel, input) => {
    if (typeof channel !== 'string' || !Object.hasOwn(invokeContract, channel)) {
      return fail(
        new SwitchboardError(
          'UNKNOWN_CHANNEL',
          `Unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}.`,
        ),
      );
    }
    const spec = invokeContract[channel as InvokeChannel];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      return fail(
        new SwitchboardError(
          'VALIDATION',
          `Invalid input for ${channel}${where}: ${issue?.message ?? 'invalid'}.`,
        ),
      );
    }
    try {
      const handler = handlers[channel as InvokeChannel] as (i: unknown) => unknown;
      const value = await handler(parsed.data);
      const out = spec.output.safeParse(value);
      if (!out.success) {
        return fail(
          new SwitchboardError('INTERNAL', `${channel} produced a result outside its contract.`),
        );
      }
      return { ok: true, value: out.data };
    } catch (error) {
      return fail(error);
    }
  };
}

function fail(error: unknown): DispatchResult {
  return { ok: false, error: toEnvelope(error) };
}
