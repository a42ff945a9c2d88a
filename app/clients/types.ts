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
  'cline-cli',
  'qwen-code',
  'copilot-cli',
  'goose',
  'continue',
  'kiro',
  'roo-code',
  'amp',
  'crush',
  'kilo-code',
] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

/** `local`: Claude Code's per-project entry in the user file (`projects[<dir>].mcpServers`). */
export const SCOPES = ['user', 'project', 'local'] as const;
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

export type ConfigFormat = 'jsonc' | 'toml' | 'yaml';

/** What an entry may depend on besides the launch: the OS it is written for, its name. */
export interface EntryContext {
  /** `process.platform` of the machine the entry is for. */
  platform: string;
  name: string;
}

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
  /**
   * Servers that are a YAML list of `{ name, … }` items (Continue) instead of a map: the item
   * key holding the name. The document still reads and edits them as a map by name.
   */
  listKeyedBy?: string;
  /** Key path of the servers map for a scope whose map lives elsewhere (Claude Code `local`). */
  scopedServersKey?: (scope: Scope, dir: string) => string[] | undefined;
  /** The entry we write for a bridge launch (JSON value, also rendered as TOML / YAML). */
  entry(launch: StdioLaunch, ctx: EntryContext): Record<string, unknown>;
  /** Reads an entry (ours or anyone's) as a stdio launch, if it is one. */
  readStdio(entry: unknown): StdioLaunch | undefined;
  /** What to tell the user after a change so the client picks it up. */
  restartNote: string;
  /**
   * One line on what the client needs besides the entry before it uses the server (a folder
   * trust prompt, an approval of project servers), if anything, for that scope.
   */
  needs?: (scope: Scope) => string | undefined;
}

/** What `doctor` reports (see doctor.ts). */
export const FINDING_KINDS = [
  'plaintext-secret',
  'missing-executable',
  'deleted-project',
  'manageable-remote',
  'unreadable-config',
  'plaintext-oauth-tokens',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/**
 * What a finding's one-click fix does. The first three rewrite a client's entry; the last two
 * act on mcp-remote's plaintext OAuth files (import the grant into the keychain; delete the
 * files once an import was verified).
 */
export const FINDING_FIXES = [
  'move-to-switchboard',
  'reinstall',
  'uninstall',
  'import-grant',
  'delete-plaintext',
] as const;
export type FindingFix = (typeof FINDING_FIXES)[number];

/** An mcp-remote grant: usable as is, usable after a refresh, or expired without a refresh. */
export const MCP_REMOTE_GRANT_STATES = ['valid', 'refreshable', 'expired'] as const;
