import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type EventChannel,
  type InvokeChannel,
} from './channels.js';
import type { InputOf, OutputOf, PayloadOf } from './contract.js';
import { fromEnvelope, type DispatchResult } from '../shared/errors.js';

/**
 * How the API reaches main: `ipcRenderer` in the preload, a Playwright binding in the browser
 * e2e target. Only this interface differs between the two.
 */
export interface ContractTransport {
  invoke(channel: InvokeChannel, input: unknown): Promise<DispatchResult>;
  subscribe(event: EventChannel, listener: (payload: unknown) => void): () => void;
}

type Domain<C extends string> = C extends `${infer D}.${string}` ? D : never;
type Call<C extends InvokeChannel, R> = [InputOf<C>] extends [undefined]
  ? () => Promise<R>
  : (input: InputOf<C>) => Promise<R>;
type Listen<E extends EventChannel> = (listener: (payload: PayloadOf<E>) => void) => () => void;
type EventName<E extends string> = E extends `${infer D}.${infer N}`
  ? `${D}${Capitalize<N>}`
  : never;

type ApiShape<Wrap extends 'raw' | 'client'> = {
  [D in Domain<InvokeChannel>]: {
    [C in InvokeChannel as C extends `${D}.${infer M}` ? M : never]: Call<
      C,
      Wrap extends 'raw' ? DispatchResult<OutputOf<C>> : OutputOf<C>
    >;
  };
} & {
  events: { [E in EventChannel as EventName<E>]: Listen<E> };
};

/** What the preload exposes as `window.switchboard`: results come back as envelopes. */
export type DesktopApi = ApiShape<'raw'>;
/** What the renderer calls: envelopes unwrapped, errors thrown as SwitchboardError with a code. */
export type SwitchboardClient = ApiShape<'client'>;

export function eventName(channel: EventChannel): string {
  const [domain, name] = channel.split('.') as [string, string];
  return domain + name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Builds the per-channel API from the channel list. Each method is a concrete function bound to
 * one channel: there is no generic invoke(channel) on the exposed object.
 */
export function createDesktopApi(transport: ContractTransport): DesktopApi {
  const api: Record<string, Record<string, unknown>> = { events: {} };
  for (const channel of INVOKE_CHANNELS) {
    const [domain, method] = channel.split('.') as [string, string];
    api[domain] ??= {};
    api[domain][method] = (input?: unknown) => transport.invoke(channel, input);
  }
  for (const channel of EVENT_CHANNELS) {
    api.events![eventName(channel)] = (listener: (payload: unknown) => void) =>
      transport.subscribe(channel, listener);
  }
  return api as unknown as DesktopApi;
}

/** Wraps the exposed API so calls return values and throw real Errors carrying the code. */
export function createClient(raw: DesktopApi): SwitchboardClient {
  const client: Record<string, Record<string, unknown>> = { events: raw.events };
  const rawRecord = raw as unknown as Record<
    string,
    Record<string, (i?: unknown) => Promise<DispatchResult>>
  >;
  for (const channel of INVOKE_CHANNELS) {
    const [domain, method] = channel.split('.') as [string, string];
    client[domain] ??= {};
    client[domain][method] = async (input?: unknown) => {
      const result = await rawRecord[domain]![method]!(input);
      if (result.ok) return result.value;
      throw fromEnvelope(result.error);
    };
  }
  return client as unknown as SwitchboardClient;
}
