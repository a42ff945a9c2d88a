import type { AuditEvent, AuditSink } from '../audit/audit-event.js';
import type { BridgeObserver, Direction } from './bridge-core.js';
import { idKey, isRequest, isResponse, type Message } from './protocol.js';
import { keptText } from './wire-text.js';
import { monotonicMs } from '../platform/monotonic-ms.js';

const METHOD_NOT_FOUND = -32601;

export interface AuditTapOptions {
  sink: AuditSink;
  projectId: string;
  projectName: string;
  sessionId: string;
  fingerprint: () => string | undefined;
}

interface Open {
  at: number;
  method: string;
  target: string | undefined;
}

/**
 * Turns each message crossing the bridge into an audit event: requests are remembered so their
 * answer carries the method, target and duration. The sink redacts and truncates payloads.
 */
export function createAuditTap(opts: AuditTapOptions): BridgeObserver & {
  lifecycle: (kind: 'session-start' | 'session-end', detail?: Record<string, unknown>) => void;
  /** Records everything observed so far (call before closing the sink). */
  drain: () => void;
} {
  let client: { name: string; version?: string } | undefined;
  // Requests by who sent them: a client request is answered by the server, and vice versa.
  const open = { fromClient: new Map<string, Open>(), fromServer: new Map<string, Open>() };
  const base = () => ({
    projectId: opts.projectId,
    projectName: opts.projectName,
    sessionId: opts.sessionId,
    ...(client ? { client } : {}),
  });

  // Messages are recorded in a batch right after the forwarding work of this turn, so building
  // previews never delays a message on its way; time and order are taken when it was seen.
  let queue: Array<[Direction, Message, number, number, string | undefined]> = [];
  let scheduled = false;
  const drain = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    for (let i = 0; i < batch.length; i++) {
      const [direction, m, at, ms, fingerprint] = batch[i]!;
      record(direction, m, at, new Date(ms).toISOString(), fingerprint);
    }
  };
  const observe: BridgeObserver = (direction: Direction, m: Message) => {
    // The wall-clock time is formatted in the batch, off the forwarding path.
    queue.push([direction, m, monotonicMs(), Date.now(), opts.fingerprint()]);
    if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  };

  const record = (
    direction: Direction,
    m: Message,
    at: number,
    ts: string,
    fingerprint: string | undefined,
  ) => {
    try {
      const event: Parameters<AuditSink['write']>[0] = {
        ts,
        ...base(),
        direction,
        kind: 'notification',
        // The sink builds the redacted, truncated preview (and the size) from the payload.
        payload: m,
        // The text it crossed the bridge as, if kept: the preview is cut from it directly.
        payloadText: keptText(m),
        ...(fingerprint ? { tokenFingerprint: fingerprint } : {}),
      };
      if (isRequest(m)) {
        if (m.method === 'initialize' && direction === 'client->server') client = clientInfo(m);
        const target = targetOf(m);
        const mine = direction === 'server->client' ? open.fromServer : open.fromClient;
        mine.set(idKey(m.id), { at, method: m.method, target });
        Object.assign(event, base(), {
          kind: 'request',
          method: m.method,
          id: String(m.id),
          ...(target ? { target } : {}),
        });
      } else if (isResponse(m)) {
        // A response from the client answers a server request; anything else a client request.
        const mine = direction === 'client->server' ? open.fromServer : open.fromClient;
        const key = idKey(m.id);
        const req = mine.get(key);
        mine.delete(key);
        const answer = 'error' in m ? m.error : undefined;
        // A `server/discover` answered "method not found" is an era probe doing its job (the
        // client falls back to initialize), not a failure.
        const probe = req?.method === 'server/discover' && answer?.code === METHOD_NOT_FOUND;
        const error = probe ? undefined : answer;
        Object.assign(event, {
          kind: error ? 'error' : 'response',
          id: String(m.id),
          status: error ? 'error' : 'ok',
          ...(probe ? { detail: { probe: 'fell back to the 2025 protocol' } } : {}),
          ...(req
            ? {
                method: req.method,
                durationMs: Math.round((at - req.at) * 100) / 100,
                ...(req.target ? { target: req.target } : {}),
              }
            : {}),
          ...(error
            ? {
                errorCode: Number.isInteger(error.code) ? error.code : undefined,
                errorMessage: String(error.message).slice(0, 500),
              }
            : {}),
        } satisfies Partial<AuditEvent>);
      } else if ('method' in m) {
        event.method = m.method;
      }
      opts.sink.write(event);
    } catch {
      // Auditing must never break forwarding.
    }
  };

  return Object.assign(observe, {
    drain,
    lifecycle(kind: 'session-start' | 'session-end', detail?: Record<string, unknown>) {
      try {
        opts.sink.write({ ...base(), direction: 'bridge', kind, ...(detail ? { detail } : {}) });
      } catch {
        // never fatal
      }
    },
  });
}

function clientInfo(m: Message): { name: string; version?: string } | undefined {
  const info = (m as { params?: { clientInfo?: { name?: unknown; version?: unknown } } }).params
    ?.clientInfo;
  if (!info || typeof info.name !== 'string') return undefined;
  return typeof info.version === 'string'
    ? { name: info.name, version: info.version }
    : { name: info.name };
}

function targetOf(m: Message & { method: string }): string | undefined {
  const p = (m as { params?: Record<string, unknown> }).params;
  if (!p) return undefined;
  switch (m.method) {
    case 'tools/call':
    case 'prompts/get':
      return typeof p.name === 'string' ? p.name : undefined;
    case 'resources/read':
    case 'resources/subscribe':
    case 'resources/unsubscribe':
      return typeof p.uri === 'string' ? p.uri : undefined;
    default:
      return undefined;
  }
}
