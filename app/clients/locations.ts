import path from 'node:path';
import type { PlatformEnv } from '../paths/data-dir.js';
import type { ClientId } from './types.js';

/** Where a client keeps its config on one OS. */
export interface ClientLocation {
  /** User-scope config candidates: the first that exists wins, else the last is created. */
  user: string[];
  /** Paths whose existence means the client is installed (any of them). */
  detect: string[];
  /** Project-scope candidates inside a project directory (same rule), if the client has one. */
  project?: (dir: string) => string[];
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

  return {
    'claude-desktop': {
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
  };
}
