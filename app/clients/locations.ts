import path from 'node:path';
import type { PlatformEnv } from '../paths/data-dir.js';
import type { ClientId } from './types.js';

/** Where a client keeps its config on one OS. */
export interface ClientLocation {
  /** User-scope config candidates, chosen by `pickConfigPath`. */
  user: string[];
  /** Paths whose existence means the client is installed (any of them). */
  detect: string[];
  /** Project-scope candidates inside a project directory (same rule), if the client has one. */
  project?: (dir: string) => string[];
}

/**
 * Which candidate a client uses: the first file that exists; else the last one whose folder
 * exists (Claude Desktop from the Store has its package folder, not the classic one); else the
 * last. `exists` is injected so the rule is testable for every OS.
 */
export async function pickConfigPath(
  candidates: string[],
  exists: (file: string) => Promise<boolean>,
  dirname: (file: string) => string,
): Promise<string> {
  for (const c of candidates) if (await exists(c)) return c;
  for (const c of [...candidates].reverse()) if (await exists(dirname(c))) return c;
  return candidates[candidates.length - 1]!;
}

/**
 * THE table of client config paths for macOS, Windows and Linux, in one place. Sources:
 * /work/shared/research/anchors.md §B1 and each client's docs; env overrides follow the client
 * (CLAUDE_CONFIG_DIR for Claude Code, CODEX_HOME for Codex, XDG_CONFIG_HOME where the client
 * uses XDG, APPDATA on Windows).
 */
export function clientLocations(pe: PlatformEnv): Record<ClientId, ClientLocation> {
  const { platform, env, home } = pe;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const xdgConfig = env.XDG_CONFIG_HOME || p.join(home, '.config');
  const appData = env.APPDATA || p.join(home, 'AppData', 'Roaming');
  // Electron apps (Claude Desktop, VS Code): Application Support / %APPDATA% / XDG config.
  const electronAppData =
    platform === 'darwin'
      ? p.join(home, 'Library', 'Application Support')
      : platform === 'win32'
        ? appData
        : xdgConfig;
  const claudeDesktopDir = p.join(electronAppData, 'Claude');
  const vscodeUser = p.join(electronAppData, 'Code', 'User');
  const claudeCodeDir = env.CLAUDE_CONFIG_DIR || home;
  const codexHome = env.CODEX_HOME || p.join(home, '.codex');
  // Zed: ~/.config/zed on macOS (not XDG), $XDG_CONFIG_HOME/zed on Linux, %APPDATA%\Zed on Windows.
  const zedDir =
    platform === 'darwin'
      ? p.join(home, '.config', 'zed')
      : platform === 'win32'
        ? p.join(appData, 'Zed')
        : p.join(xdgConfig, 'zed');
  // OpenCode uses xdg-basedir on every OS.
  const opencodeDir = p.join(xdgConfig, 'opencode');
  const clineDir = p.join(vscodeUser, 'globalStorage', 'saoudrizwan.claude-dev');
  const rooDir = p.join(vscodeUser, 'globalStorage', 'rooveterinaryinc.roo-cline');
  const kiloDir = p.join(vscodeUser, 'globalStorage', 'kilocode.kilo-code');
  const localAppData = env.LOCALAPPDATA || p.join(home, 'AppData', 'Local');
  // Claude Desktop from the Microsoft Store (MSIX) keeps its roaming data inside the package.
  const claudeDesktopMsix = p.join(
    localAppData,
    'Packages',
    'Claude_pzs8sxrjxfjjc',
    'LocalCache',
    'Roaming',
    'Claude',
  );
  // Goose: etcetera's choose_app_strategy — XDG on macOS and Linux, %APPDATA%\Block\goose\config.
  const gooseDir =
    platform === 'win32' ? p.join(appData, 'Block', 'goose', 'config') : p.join(xdgConfig, 'goose');
  // Amp: ~/.config/amp on every OS (XDG_CONFIG_HOME where set).
  const ampDir = p.join(xdgConfig, 'amp');
  const crushDir =
    platform === 'win32' ? p.join(localAppData, 'crush') : p.join(xdgConfig, 'crush');

  return {
    'claude-desktop':
      platform === 'win32'
        ? {
            // The first that exists wins: the Store (MSIX) install, else the classic one.
            user: [
              p.join(claudeDesktopMsix, 'claude_desktop_config.json'),
              p.join(claudeDesktopDir, 'claude_desktop_config.json'),
            ],
            detect: [claudeDesktopMsix, claudeDesktopDir],
          }
        : {
            user: [p.join(claudeDesktopDir, 'claude_desktop_config.json')],
            detect: [claudeDesktopDir],
          },
    'claude-code': {
      user: [p.join(claudeCodeDir, '.claude.json')],
      detect: [p.join(claudeCodeDir, '.claude.json'), p.join(home, '.claude')],
      project: (dir) => [p.join(dir, '.mcp.json')],
    },
    cursor: {
      user: [p.join(home, '.cursor', 'mcp.json')],
      detect: [p.join(home, '.cursor')],
      project: (dir) => [p.join(dir, '.cursor', 'mcp.json')],
    },
    vscode: {
      user: [p.join(vscodeUser, 'mcp.json')],
      detect: [vscodeUser],
      project: (dir) => [p.join(dir, '.vscode', 'mcp.json')],
    },
    windsurf: {
      user: [p.join(home, '.codeium', 'windsurf', 'mcp_config.json')],
      detect: [p.join(home, '.codeium', 'windsurf')],
    },
    gemini: {
      user: [p.join(home, '.gemini', 'settings.json')],
      detect: [p.join(home, '.gemini')],
      project: (dir) => [p.join(dir, '.gemini', 'settings.json')],
    },
    codex: {
      user: [p.join(codexHome, 'config.toml')],
      detect: [codexHome],
      project: (dir) => [p.join(dir, '.codex', 'config.toml')],
    },
    zed: {
      user: [p.join(zedDir, 'settings.json')],
      detect: [zedDir],
      project: (dir) => [p.join(dir, '.zed', 'settings.json')],
    },
    cline: {
      user: [p.join(clineDir, 'settings', 'cline_mcp_settings.json')],
      detect: [clineDir],
    },
    'lm-studio': {
      user: [p.join(home, '.lmstudio', 'mcp.json')],
      detect: [p.join(home, '.lmstudio')],
    },
    opencode: {
      // An existing .jsonc wins over .json (what OpenCode itself reads first).
      user: [p.join(opencodeDir, 'opencode.jsonc'), p.join(opencodeDir, 'opencode.json')],
      detect: [opencodeDir],
      project: (dir) => [p.join(dir, 'opencode.jsonc'), p.join(dir, 'opencode.json')],
    },
    'cline-cli': {
      user: [p.join(home, '.cline', 'data', 'settings', 'cline_mcp_settings.json')],
      detect: [p.join(home, '.cline')],
    },
    'qwen-code': {
      user: [p.join(home, '.qwen', 'settings.json')],
      detect: [p.join(home, '.qwen')],
      project: (dir) => [p.join(dir, '.qwen', 'settings.json')],
    },
    'copilot-cli': {
      user: [p.join(home, '.copilot', 'mcp-config.json')],
      detect: [p.join(home, '.copilot')],
      project: (dir) => [p.join(dir, '.mcp.json')],
    },
    goose: {
      user: [p.join(gooseDir, 'config.yaml')],
      detect: [gooseDir],
    },
    continue: {
      user: [p.join(home, '.continue', 'config.yaml')],
      detect: [p.join(home, '.continue')],
    },
    kiro: {
      user: [p.join(home, '.kiro', 'settings', 'mcp.json')],
      detect: [p.join(home, '.kiro')],
      project: (dir) => [p.join(dir, '.kiro', 'settings', 'mcp.json')],
    },
    'roo-code': {
      user: [p.join(rooDir, 'settings', 'mcp_settings.json')],
      detect: [rooDir],
      project: (dir) => [p.join(dir, '.roo', 'mcp.json')],
    },
    amp: {
      user: [p.join(ampDir, 'settings.json')],
      detect: [ampDir],
    },
    crush: {
      user: [p.join(crushDir, 'crush.json')],
      detect: [crushDir],
      // An existing crush.json wins over .crush.json, else a new .crush.json.
      project: (dir) => [p.join(dir, 'crush.json'), p.join(dir, '.crush.json')],
    },
    'kilo-code': {
      user: [p.join(kiloDir, 'settings', 'mcp_settings.json')],
      detect: [kiloDir],
      project: (dir) => [p.join(dir, '.kilocode', 'mcp.json')],
    },
  };
}
