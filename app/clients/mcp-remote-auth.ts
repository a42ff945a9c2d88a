import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PlatformEnv } from '../paths/data-dir.js';
import { isRecord } from './defs/common.js';
import type { MCP_REMOTE_GRANT_STATES } from './types.js';

/** One of mcp-remote's plaintext OAuth files: where, for which server hash, which fields. */
export interface McpRemoteAuthFile {
  path: string;
  /** `<hash>_tokens.json` (access/refresh tokens) or `<hash>_client_info.json` (client secret). */
  kind: 'tokens' | 'client-info';
  hash: string;
  /** Field names present (never their values), e.g. access_token, refresh_token. */
  fields: string[];
}

/**
 * mcp-remote keeps OAuth state as plaintext JSON in `~/.mcp-auth/mcp-remote-v1/` (0.15.x:
 * `getConfigDir()`, CONFIG_STORE_VERSION 1; releases before it used `mcp-remote-<version>/`;
 * `MCP_REMOTE_CONFIG_DIR` replaces `~/.mcp-auth`), named `<hash>_<file>` by a hash of the
 * server URL and options (`mcpRemoteHash`). Reads names and field names only.
 */
export async function findMcpRemoteAuthFiles(pe: PlatformEnv): Promise<McpRemoteAuthFile[]> {
  const out: McpRemoteAuthFile[] = [];
  for (const dir of await mcpRemoteDirs(pe)) {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const m = /^([0-9a-f]{32})_(tokens|client_info)\.json$/.exec(name);
      if (!m) continue;
      const file = path.join(dir, name);
      const parsed = await readJson(file);
      out.push({
        path: file,
        kind: m[2] === 'tokens' ? 'tokens' : 'client-info',
        hash: m[1]!,
        fields: isRecord(parsed) ? Object.keys(parsed).sort() : [],
      });
    }
  }
  return out;
}

async function mcpRemoteDirs(pe: PlatformEnv): Promise<string[]> {
  const root = pe.env.MCP_REMOTE_CONFIG_DIR || path.join(pe.home, '.mcp-auth');
  const dirs = [root];
  const top = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  for (const d of top) if (d.isDirectory()) dirs.push(path.join(root, d.name));
  return dirs;
}

async function readJson(file: string): Promise<unknown> {
  return fs
    .readFile(file, 'utf8')
    .then((t) => JSON.parse(t) as unknown)
    .catch(() => undefined);
}

/** What goes into mcp-remote's file-name hash (its `getServerUrlHash`, 0.15.1). */
export interface McpRemoteHashInput {
  url: string;
  /** `--resource` (RFC 8707), unless `--disable-resource-parameter`. */
  resource?: string;
  /** `--authorize-param key=value`. */
  authorizeParams?: Record<string, string>;
  /** `--header Name:value`, as written (before mcp-remote substitutes `${VAR}`). */
  headers?: Record<string, string>;
  clientMetadataUrl?: string;
  tokenEndpoint?: string;
}

/**
 * mcp-remote 0.15.1's file-name hash: md5 (hex) of the server URL as given, then — when set —
 * the resource, the authorize params and the headers (each as JSON with sorted keys), the client
 * metadata URL and the token endpoint, joined by `|`. With no options that is md5(url), which is
 * also what releases before the options existed used. (mcp-remote's only sha256 is the PKCE
 * code challenge, not a file name.)
 */
export function mcpRemoteHash(input: McpRemoteHashInput): string {
  const parts = [input.url];
  if (input.resource) parts.push(input.resource);
  const json = (o: Record<string, string>) => JSON.stringify(o, Object.keys(o).sort());
  if (input.authorizeParams && Object.keys(input.authorizeParams).length) {
    parts.push(json(input.authorizeParams));
  }
  if (input.headers && Object.keys(input.headers).length) parts.push(json(input.headers));
  if (input.clientMetadataUrl) parts.push(input.clientMetadataUrl);
  if (input.tokenEndpoint) parts.push(input.tokenEndpoint);
  return createHash('md5').update(parts.join('|')).digest('hex');
}

/** The hash inputs of an `mcp-remote <url> [flags]` argument list, parsed as mcp-remote does. */
export function mcpRemoteHashInputOf(args: string[]): McpRemoteHashInput | undefined {
  const headers: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--header' && i < args.length - 1) {
      const m = /^([A-Za-z0-9_-]+):\s*(.*)$/.exec(args[++i]!);
      if (m) headers[m[1]!] = m[2]!;
    } else rest.push(args[i]!);
  }
  const url = rest.find((a) => /^https?:\/\//i.test(a));
  if (!url) return undefined;
  const value = (flag: string) => {
    const i = rest.indexOf(flag);
    return i >= 0 && i < rest.length - 1 ? rest[i + 1]!.trim() : undefined;
  };
  const authorizeParams: Record<string, string> = {};
  rest.forEach((a, i) => {
    const raw = rest[i + 1];
    if (a !== '--authorize-param' || raw === undefined) return;
    const sep = raw.indexOf('=');
    if (sep >= 1) authorizeParams[raw.slice(0, sep).trim()] = raw.slice(sep + 1);
  });
  const resource = rest.includes('--disable-resource-parameter') ? undefined : value('--resource');
  const cimd = value('--client-metadata-url');
  const token = rest.includes('--client-credentials') ? value('--token-endpoint') : undefined;
  return {
    url,
    ...(resource ? { resource } : {}),
    authorizeParams,
    headers,
    ...(cimd && /^https:\/\/[^/]+\/./.test(cimd) ? { clientMetadataUrl: cimd } : {}),
    ...(token && URL.canParse(token) ? { tokenEndpoint: new URL(token).toString() } : {}),
  };
}

/** The tokens as mcp-remote saved them (`OAuthTokensWithExpiresAtSchema`). Values: memory only. */
export interface McpRemoteTokens {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  /** Seconds, as the token response said (relative to when it was saved). */
  expires_in?: number;
  /** Milliseconds since the epoch: mcp-remote's `Date.now() + expires_in * 1000` at save time. */
  expires_at?: number;
  scope?: string;
  issuer?: string;
}

/** mcp-remote's dynamic client registration (`ClientInformationStoreSchema`). */
export interface McpRemoteClient {
  client_id: string;
  client_secret?: string;
  client_id_issued_at?: number;
  redirect_uris: string[];
  issuer?: string;
}

export type McpRemoteGrantState = (typeof MCP_REMOTE_GRANT_STATES)[number];

export interface McpRemoteGrant {
  hash: string;
  tokensPath: string;
  clientInfoPath: string | undefined;
  tokens: McpRemoteTokens;
  client: McpRemoteClient | undefined;
  /** Access token expiry (ms), from expires_at or, for older files, mtime + expires_in. */
  accessExpiresAt: number | undefined;
  state: McpRemoteGrantState;
}

/** mcp-remote's own margin before expiry (TOKEN_EXPIRY_MARGIN_MS). */
const EXPIRY_MARGIN_MS = 60_000;

/** Reads the grant of one hash; undefined when there is no usable tokens file. */
export async function readMcpRemoteGrant(
  tokensPath: string,
  hash: string,
  now = Date.now(),
): Promise<McpRemoteGrant | undefined> {
  const raw = await readJson(tokensPath);
  if (!isRecord(raw) || typeof raw.access_token !== 'string' || !raw.access_token) return undefined;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const tokens: McpRemoteTokens = {
    access_token: raw.access_token,
    token_type: str(raw.token_type) ?? 'Bearer',
    ...(str(raw.refresh_token) ? { refresh_token: str(raw.refresh_token)! } : {}),
    ...(num(raw.expires_in) !== undefined ? { expires_in: num(raw.expires_in)! } : {}),
    // mcp-remote reads it with z.coerce.number(): a string of digits counts too.
    ...(raw.expires_at !== undefined && num(Number(raw.expires_at)) !== undefined
      ? { expires_at: Number(raw.expires_at) }
      : {}),
    ...(str(raw.scope) ? { scope: str(raw.scope)! } : {}),
    ...(str(raw.issuer) ? { issuer: str(raw.issuer)! } : {}),
  };
  const clientInfoPath = path.join(path.dirname(tokensPath), `${hash}_client_info.json`);
  const info = await readJson(clientInfoPath);
  const client: McpRemoteClient | undefined =
    isRecord(info) && typeof info.client_id === 'string' && info.client_id
      ? {
          client_id: info.client_id,
          ...(str(info.client_secret) ? { client_secret: str(info.client_secret)! } : {}),
          ...(num(info.client_id_issued_at) !== undefined
            ? { client_id_issued_at: num(info.client_id_issued_at)! }
            : {}),
          redirect_uris: Array.isArray(info.redirect_uris)
            ? info.redirect_uris.filter((u): u is string => typeof u === 'string')
            : [],
          ...(str(info.issuer) ? { issuer: str(info.issuer)! } : {}),
        }
      : undefined;
  let accessExpiresAt = tokens.expires_at;
  if (accessExpiresAt === undefined && tokens.expires_in !== undefined) {
    const saved = (await fs.stat(tokensPath)).mtimeMs;
    accessExpiresAt = saved + tokens.expires_in * 1000;
  }
  const unexpired = accessExpiresAt === undefined || now < accessExpiresAt - EXPIRY_MARGIN_MS;
  return {
    hash,
    tokensPath,
    clientInfoPath: client ? clientInfoPath : undefined,
    tokens,
    client,
    accessExpiresAt,
    state: unexpired ? 'valid' : tokens.refresh_token ? 'refreshable' : 'expired',
  };
}
