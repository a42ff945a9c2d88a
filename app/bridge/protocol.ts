/**
 * JSON-RPC helpers for the bridge's forward path. Deliberately schema-free: the bridge passes
 * messages through untouched, so it only needs to tell requests, notifications and responses
 * apart, cheaply, without re-validating every payload.
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export type Message = JSONRPCMessage;
export type Id = string | number;

/** Our own error range, clear of JSON-RPC's reserved codes and the SDK's -32000…-32002/-32042. */
export const BridgeErrorCode = {
  /** The upstream could not be reached (connection refused, DNS, TLS, reset before send). */
  UNREACHABLE: -32080,
  /** 401/403, or no usable credential: the token needs rotating or a login is required. */
  AUTH: -32081,
  /** The project's kill switch is off (or the project was removed). */
  DISCONNECTED: -32082,
  /** The upstream answered with an HTTP error (5xx, unexpected 4xx). */
  UPSTREAM_HTTP: -32083,
  /** The session was lost and could not be re-established. */
  SESSION_LOST: -32084,
  /** The response stream dropped before the answer arrived; the request may have run. */
  STREAM_LOST: -32085,
  /** The request used the id prefix the bridge reserves for its own requests. */
  RESERVED_ID: -32086,
  /** The bridge is shutting down. */
  SHUTTING_DOWN: -32087,
  /** A message from the server exceeded the bridge's size limit and was dropped. */
  MESSAGE_TOO_LARGE: -32088,
  /** A 2026-07-28 server needs something the 2025 client cannot give (era translation). */
  ERA_TRANSLATION: -32089,
} as const;

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;

/** Ids of the bridge's own requests (re-initialize, replays) start with this. */
export const RESERVED_ID_PREFIX = 'switchboard-bridge-';

export function isRequest(m: Message): m is Message & { id: Id; method: string } {
  return 'method' in m && 'id' in m && m.id !== undefined && m.id !== null;
}

export function isNotification(m: Message): m is Message & { method: string } {
  return 'method' in m && !('id' in m && m.id !== undefined && m.id !== null);
}

export function isResponse(m: Message): m is Message & { id: Id } {
  return !('method' in m) && ('result' in m || 'error' in m);
}

export function isReservedId(id: unknown): boolean {
  return typeof id === 'string' && id.startsWith(RESERVED_ID_PREFIX);
}

/** Map key for an id: 1 and "1" are different JSON-RPC ids. */
export function idKey(id: Id): string {
  return typeof id === 'number' ? `n:${id}` : `s:${id}`;
}

export interface BridgeErrorData {
  httpStatus: number | null;
  project: string;
  reason: string;
}

export function errorResponse(
  id: Id | null,
  code: number,
  message: string,
  data?: BridgeErrorData,
): Message {
  const error = data ? { code, message, data } : { code, message };
  // A parse error has no id to answer to; JSON-RPC says use null there.
  return { jsonrpc: '2.0', id, error } as unknown as Message;
}
