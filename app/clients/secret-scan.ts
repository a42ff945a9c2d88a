import { isLoopbackHost } from '../projects/project.js';
import { redactSecrets } from '../shared/redact.js';
import { isRecord } from './defs/common.js';
import type { RemoteEntry, StdioLaunch } from './types.js';

/** One plaintext secret inside an entry: where it is, never what it is. */
export interface SecretHit {
  /** Path inside the entry, e.g. ['headers', 'Authorization'] or ['args', 4]. */
  at: (string | number)[];
  why: string;
  /** The value, for redaction and for `doctor --fix` only; never printed or sent to the UI. */
  value: string;
}

const SECRET_NAME =
  /token|secret|passw(or)?d|credential|api[-_]?key|apikey|private[-_]?key|auth|cookie|session/i;
const HEADER_KEYS = new Set(['headers', 'http_headers', 'requestInit']);
const ENV_KEYS = new Set(['env', 'environment']);

/** `${VAR}`, `${env:VAR}`, `${input:id}`, `{env:VAR}`, `$VAR`: a reference, not a secret. */
export function isReference(value: string): boolean {
  const v = value.replace(/^(Bearer|Basic|Token)\s+/i, '').trim();
  return v === '' || /^\$\{[^}]+\}$|^\{env:[^}]+\}$|^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v);
}

function tokenShaped(value: string): boolean {
  return redactSecrets(value) !== value;
}

function walk(
  value: unknown,
  at: (string | number)[],
  visit: (v: string, at: (string | number)[]) => void,
): void {
  if (typeof value === 'string') visit(value, at);
  else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...at, i], visit));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) walk(v, [...at, k], visit);
}

/** Finds plaintext secrets in someone else's entry (headers, --header args, env, token shapes). */
export function scanEntry(entry: unknown): SecretHit[] {
  const hits: SecretHit[] = [];
  walk(entry, [], (value, at) => {
    if (isReference(value)) return;
    const key = at[at.length - 1];
    const parent = at[at.length - 2];
    const prev =
      at.length >= 2 && typeof key === 'number'
        ? getAt(entry, [...at.slice(0, -1), key - 1])
        : undefined;
    let why: string | undefined;
    if (typeof parent === 'string' && HEADER_KEYS.has(parent) && typeof key === 'string') {
      if (/^(authorization|proxy-authorization)$/i.test(key)) why = `${key} header`;
      else if (SECRET_NAME.test(key)) why = `${key} header`;
    } else if (typeof parent === 'string' && ENV_KEYS.has(parent) && typeof key === 'string') {
      if (SECRET_NAME.test(key)) why = `environment variable ${key}`;
    } else if (key === 'bearer_token' || key === 'token' || key === 'apiKey' || key === 'api_key') {
      why = `${key} field`;
    } else if (
      typeof key === 'number' &&
      typeof prev === 'string' &&
      /^--?(header|H)$/.test(prev)
    ) {
      const [name = '', ...rest] = value.split(':');
      if (
        rest.length &&
        (SECRET_NAME.test(name) || /^authorization$/i.test(name.trim())) &&
        !isReference(rest.join(':'))
      ) {
        why = `--header ${name.trim()} argument`;
      }
    } else if (
      typeof key === 'number' &&
      typeof prev === 'string' &&
      /^--?(token|api-?key|secret|password|oauth2Bearer)$/i.test(prev)
    ) {
      why = `${prev} argument`;
    } else if (/^--?(token|api-?key|secret|password)=/i.test(value)) {
      why = `${value.split('=')[0]} argument`;
    }
    if (!why && /^https?:\/\//i.test(value)) {
      try {
        const url = new URL(value);
        for (const [k, v] of url.searchParams) {
          if (SECRET_NAME.test(k) && v && !isReference(v)) why = `${k} query parameter in a URL`;
        }
      } catch {
        // not a URL after all
      }
    }
    if (!why && tokenShaped(value)) why = 'a token-shaped string';
    if (why) hits.push({ at, why, value });
  });
  return hits;
}

function getAt(root: unknown, at: (string | number)[]): unknown {
  let node: unknown = root;
  for (const k of at) {
    if (Array.isArray(node) && typeof k === 'number') node = node[k];
    else if (isRecord(node) && typeof k === 'string') node = node[k];
    else return undefined;
  }
  return node;
}

/** Expands `${VAR}` / `${env:VAR}` / `{env:VAR}` from the entry's own env; unresolved → undefined. */
function resolveRefs(value: string, env: Record<string, string>): string | undefined {
  let ok = true;
  const out = value.replace(
    /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}|\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g,
    (_m, a: string | undefined, b: string | undefined) => {
      const v = env[(a ?? b)!];
      if (v === undefined) ok = false;
      return v ?? '';
    },
  );
  return ok ? out : undefined;
}

export interface RemoteFound extends RemoteEntry {
  /** Headers that reference variables this entry does not define (can't be moved). */
  unresolved: string[];
  via: 'url' | 'mcp-remote' | 'supergateway';
}

const MCP_REMOTE = /(^|[/\\@])mcp-remote(@[^/\\]*)?$/;
const SUPERGATEWAY = /(^|[/\\@])supergateway(@[^/\\]*)?$/;

/**
 * Reads a remote server out of anyone's entry: a native `url`/`serverUrl`/`httpUrl`/`uri` with
 * `headers`, or a stdio bridge such as `npx mcp-remote <url> --header 'Name: value'`.
 */
export function remoteOf(entry: unknown, stdio: StdioLaunch | undefined): RemoteFound | undefined {
  if (!isRecord(entry)) return undefined;
  const env = stdio?.env ?? {};
  const headers: Record<string, string> = {};
  const unresolved: string[] = [];
  const addHeader = (name: string, raw: string) => {
    const v = resolveRefs(raw, env);
    if (v === undefined) unresolved.push(name);
    else headers[name] = v;
  };
  for (const key of ['url', 'serverUrl', 'httpUrl', 'uri']) {
    const url = entry[key];
    if (typeof url === 'string' && /^https?:\/\//i.test(url)) {
      for (const hk of ['headers', 'http_headers']) {
        const h = entry[hk];
        if (isRecord(h))
          for (const [n, v] of Object.entries(h)) if (typeof v === 'string') addHeader(n, v);
      }
      if (typeof entry.bearer_token === 'string')
        headers.Authorization = `Bearer ${entry.bearer_token}`;
      return { url, headers, unresolved, via: 'url' };
    }
  }
  if (!stdio) return undefined;
  const all = [stdio.command, ...stdio.args];
  const headerArgs = () =>
    stdio.args.forEach((a, i) => {
      if (a === '--header' && stdio.args[i + 1]) {
        const raw = stdio.args[i + 1]!;
        const c = raw.indexOf(':');
        if (c > 0) addHeader(raw.slice(0, c).trim(), raw.slice(c + 1).trim());
      }
    });
  if (all.some((a) => MCP_REMOTE.test(a))) {
    const url = stdio.args.find((a) => /^https?:\/\//i.test(a));
    if (!url) return undefined;
    headerArgs();
    return { url, headers, unresolved, via: 'mcp-remote' };
  }
  if (all.some((a) => SUPERGATEWAY.test(a))) {
    // supergateway README: `--streamableHttp <url>` (stdio → Streamable HTTP), `--header`,
    // `--oauth2Bearer <token>`. Its `--sse <url>` mode talks the legacy SSE transport, which
    // the bridge does not speak, so only Streamable HTTP entries are moved.
    const i = stdio.args.indexOf('--streamableHttp');
    const url = i >= 0 ? stdio.args[i + 1] : undefined;
    if (!url || !/^https?:\/\//i.test(url)) return undefined;
    headerArgs();
    const b = stdio.args.indexOf('--oauth2Bearer');
    const bearer = b >= 0 ? stdio.args[b + 1] : undefined;
    if (bearer) addHeader('Authorization', `Bearer ${bearer}`);
    return { url, headers, unresolved, via: 'supergateway' };
  }
  return undefined;
}

export function isRemoteUrl(url: string): boolean {
  try {
    return !isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}
