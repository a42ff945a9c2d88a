/**
 * Errors that cross process boundaries (IPC, CLI) carry a stable code. This file is zod-free
 * and Electron-free so the preload, the renderer and Node code can all use it.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'UNKNOWN_CHANNEL',
  'NOT_FOUND',
  'CONFLICT',
  'CORRUPT_STORE',
  'NEWER_STORE',
  'LOCKED',
  'KEYCHAIN_UNAVAILABLE',
  'UPSTREAM',
  'AUTH',
  'CONTRACT',
  'REFUSED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorEnvelope {
  code: ErrorCode;
  message: string;
  /** Non-secret, JSON-serialisable context (a path, a field name, a position). */
  details?: Record<string, unknown>;
}

export class SwitchboardError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'SwitchboardError';
    this.code = code;
    this.details = details;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Anything thrown becomes an envelope; unknown errors keep their message but get INTERNAL. */
export function toEnvelope(error: unknown): ErrorEnvelope {
  if (error instanceof SwitchboardError) {
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}

export function fromEnvelope(envelope: ErrorEnvelope): SwitchboardError {
  const code = isErrorCode(envelope.code) ? envelope.code : 'INTERNAL';
  return new SwitchboardError(code, envelope.message, envelope.details);
}

export type DispatchResult<T = unknown> =
  { ok: true; value: T } | { ok: false; error: ErrorEnvelope };
