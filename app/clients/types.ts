/** Client ids as CLI.md names them; the order is the order `switchboard clients` prints. */
export const CLIENT_IDS = [
  'claude-desktop',
  'claude-code',
  'cursor',
  'vscode',
  'windsurf',
  'gemini',
  'codex',
  'zed',
  'cline',
  'lm-studio',
  'opencode',
] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

export const SCOPES = ['user', 'project'] as const;
export type Scope = (typeof SCOPES)[number];

export function isClientId(value: string): value is ClientId {
  return (CLIENT_IDS as readonly string[]).includes(value);
}

/** How a stdio server is launched: what every entry we write boils down to. */
export interface StdioLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** A remote server as another tool configured it (URL + literal headers). */
export interface RemoteEntry {
  url: string;
  headers: Record<string, string>;
}

export type ConfigFormat = 'jsonc' | 'toml';

/**
 * One client: its file format, where the servers live in the document, the entry shape we
 * write and how to read an entry back as a stdio launch or a remote URL.
 */
export interface ClientDef {
  id: ClientId;
  displayName: string;
  format: ConfigFormat;
  /** Key path of the servers map inside the document, e.g. ['mcpServers']. */
  serversKey: string[];
  scopes: readonly Scope[];
  /** The entry we write for a bridge launch (JSON value, also rendered as TOML for Codex). */
  entry(launch: StdioLaunch): Record<string, unknown>;
  /** Reads an entry (ours or anyone's) as a stdio launch, if it is one. */
  readStdio(entry: unknown): StdioLaunch | undefined;
  /** What to tell the user after a change so the client picks it up. */
  restartNote: string;
}

/** What `doctor` reports (see doctor.ts). */
export const FINDING_KINDS = [
  'plaintext-secret',
  'missing-executable',
  'deleted-project',
  'manageable-remote',
  'unreadable-config',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];
