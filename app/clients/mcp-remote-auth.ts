import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PlatformEnv } from '../paths/data-dir.js';
import { isRecord } from './defs/common.js';

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
 * mcp-remote keeps OAuth state as plaintext JSON in `~/.mcp-auth/mcp-remote-<version>/`
 * (`MCP_REMOTE_CONFIG_DIR` overrides the folder), named by a hash of the server URL (mcp-remote
 * README, "Flags" / "Troubleshooting: clear ~/.mcp-auth"). Reads names and field names only.
 */
export async function findMcpRemoteAuthFiles(pe: PlatformEnv): Promise<McpRemoteAuthFile[]> {
  const root = pe.env.MCP_REMOTE_CONFIG_DIR || path.join(pe.home, '.mcp-auth');
  const dirs = [root];
  const top = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  for (const d of top) if (d.isDirectory()) dirs.push(path.join(root, d.name));
  const out: McpRemoteAuthFile[] = [];
  for (const dir of dirs) {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const m = /^([0-9a-f]{32})_(tokens|client_info)\.json$/.exec(name);
      if (!m) continue;
      const file = path.join(dir, name);
      const parsed = await fs
        .readFile(file, 'utf8')
        .then((t) => JSON.parse(t) as unknown)
        .catch(() => undefined);
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

/**
 * The hashes mcp-remote may have named a server's files by: md5 of the URL (older releases), or
 * of the URL, the `--resource` and the sorted custom headers joined by `|` (newer releases).
 */
export function mcpRemoteHashes(url: string, headers: Record<string, string> = {}): string[] {
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  const hashes = [md5(url)];
  const keys = Object.keys(headers).sort();
  if (keys.length) {
    const sorted = Object.fromEntries(keys.map((k) => [k, headers[k]]));
    hashes.push(md5([url, JSON.stringify(sorted)].join('|')));
  }
  return hashes;
}
