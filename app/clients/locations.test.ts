import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { bridgeLaunch, switchboardProjectId } from './bridge-command.js';
import { parseClientConfig } from './config-doc.js';
import { CLIENT_DEFS } from './defs/index.js';
import { clientLocations, pickConfigPath } from './locations.js';
import { clientsIn } from './test-support.js';
import { CLIENT_IDS } from './types.js';

const mac = { platform: 'darwin' as const, env: {}, home: '/Users/ann' };
const win = {
  platform: 'win32' as const,
  env: { APPDATA: 'C:\\Users\\Ann Lee\\AppData\\Roaming' },
  home: 'C:\\Users\\Ann Lee',
};
const linux = { platform: 'linux' as const, env: {}, home: '/home/ann' };

describe('the client path table', () => {
  it('has user-scope paths for every client on macOS', () => {
    const t = clientLocations(mac);
    expect(Object.fromEntries(CLIENT_IDS.map((id) => [id, t[id].user]))).toEqual({
      'claude-desktop': [
        '/Users/ann/Library/Application Support/Claude/claude_desktop_config.json',
      ],
      'claude-code': ['/Users/ann/.claude.json'],
      cursor: ['/Users/ann/.cursor/mcp.json'],
      vscode: ['/Users/ann/Library/Application Support/Code/User/mcp.json'],
      windsurf: ['/Users/ann/.codeium/windsurf/mcp_config.json'],
      gemini: ['/Users/ann/.gemini/settings.json'],
      codex: ['/Users/ann/.codex/config.toml'],
      zed: ['/Users/ann/.config/zed/settings.json'],
      cline: [
        '/Users/ann/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
      ],
      'lm-studio': ['/Users/ann/.lmstudio/mcp.json'],
      opencode: [
        '/Users/ann/.config/opencode/opencode.jsonc',
        '/Users/ann/.config/opencode/opencode.json',
      ],
      'cline-cli': ['/Users/ann/.cline/data/settings/cline_mcp_settings.json'],
      'qwen-code': ['/Users/ann/.qwen/settings.json'],
      'copilot-cli': ['/Users/ann/.copilot/mcp-config.json'],
      goose: ['/Users/ann/.config/goose/config.yaml'],
      continue: ['/Users/ann/.continue/config.yaml'],
      kiro: ['/Users/ann/.kiro/settings/mcp.json'],
      'roo-code': [
        '/Users/ann/Library/Application Support/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json',
      ],
      amp: ['/Users/ann/.config/amp/settings.json'],
      crush: ['/Users/ann/.config/crush/crush.json'],
      'kilo-code': [
        '/Users/ann/Library/Application Support/Code/User/globalStorage/kilocode.kilo-code/settings/mcp_settings.json',
      ],
    });
  });

  it('has user-scope paths for every client on Windows (APPDATA honoured)', () => {
    const t = clientLocations(win);
    // Claude Desktop: the Store (MSIX) package's copy first, the classic install's second.
    expect(t['claude-desktop'].user).toEqual([
      'C:\\Users\\Ann Lee\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\claude_desktop_config.json',
      'C:\\Users\\Ann Lee\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    ]);
    expect(Object.fromEntries(CLIENT_IDS.map((id) => [id, t[id].user.at(-1)]))).toEqual({
      'claude-desktop': 'C:\\Users\\Ann Lee\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
      'claude-code': 'C:\\Users\\Ann Lee\\.claude.json',
      cursor: 'C:\\Users\\Ann Lee\\.cursor\\mcp.json',
      vscode: 'C:\\Users\\Ann Lee\\AppData\\Roaming\\Code\\User\\mcp.json',
      windsurf: 'C:\\Users\\Ann Lee\\.codeium\\windsurf\\mcp_config.json',
      gemini: 'C:\\Users\\Ann Lee\\.gemini\\settings.json',
      codex: 'C:\\Users\\Ann Lee\\.codex\\config.toml',
      zed: 'C:\\Users\\Ann Lee\\AppData\\Roaming\\Zed\\settings.json',
      cline:
        'C:\\Users\\Ann Lee\\AppData\\Roaming\\Code\\User\\globalStorage\\saoudrizwan.claude-dev\\settings\\cline_mcp_settings.json',
      'lm-studio': 'C:\\Users\\Ann Lee\\.lmstudio\\mcp.json',
      opencode: 'C:\\Users\\Ann Lee\\.config\\opencode\\opencode.json',
      'cline-cli': 'C:\\Users\\Ann Lee\\.cline\\data\\settings\\cline_mcp_settings.json',
      'qwen-code': 'C:\\Users\\Ann Lee\\.qwen\\settings.json',
      'copilot-cli': 'C:\\Users\\Ann Lee\\.copilot\\mcp-config.json',
      goose: 'C:\\Users\\Ann Lee\\AppData\\Roaming\\Block\\goose\\config\\config.yaml',
      continue: 'C:\\Users\\Ann Lee\\.continue\\config.yaml',
      kiro: 'C:\\Users\\Ann Lee\\.kiro\\settings\\mcp.json',
      'roo-code':
        'C:\\Users\\Ann Lee\\AppData\\Roaming\\Code\\User\\globalStorage\\rooveterinaryinc.roo-cline\\settings\\mcp_settings.json',
      amp: 'C:\\Users\\Ann Lee\\.config\\amp\\settings.json',
      crush: 'C:\\Users\\Ann Lee\\AppData\\Local\\crush\\crush.json',
      'kilo-code':
        'C:\\Users\\Ann Lee\\AppData\\Roaming\\Code\\User\\globalStorage\\kilocode.kilo-code\\settings\\mcp_settings.json',
    });
  });

  it('has user-scope paths for every client on Linux', () => {
    const t = clientLocations(linux);
    expect(Object.fromEntries(CLIENT_IDS.map((id) => [id, t[id].user[0]]))).toEqual({
      'claude-desktop': '/home/ann/.config/Claude/claude_desktop_config.json',
      'claude-code': '/home/ann/.claude.json',
      cursor: '/home/ann/.cursor/mcp.json',
      vscode: '/home/ann/.config/Code/User/mcp.json',
      windsurf: '/home/ann/.codeium/windsurf/mcp_config.json',
      gemini: '/home/ann/.gemini/settings.json',
      codex: '/home/ann/.codex/config.toml',
      zed: '/home/ann/.config/zed/settings.json',
      cline:
        '/home/ann/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
      'lm-studio': '/home/ann/.lmstudio/mcp.json',
      opencode: '/home/ann/.config/opencode/opencode.jsonc',
      'cline-cli': '/home/ann/.cline/data/settings/cline_mcp_settings.json',
      'qwen-code': '/home/ann/.qwen/settings.json',
      'copilot-cli': '/home/ann/.copilot/mcp-config.json',
      goose: '/home/ann/.config/goose/config.yaml',
      continue: '/home/ann/.continue/config.yaml',
      kiro: '/home/ann/.kiro/settings/mcp.json',
      'roo-code':
        '/home/ann/.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json',
      amp: '/home/ann/.config/amp/settings.json',
      crush: '/home/ann/.config/crush/crush.json',
      'kilo-code':
        '/home/ann/.config/Code/User/globalStorage/kilocode.kilo-code/settings/mcp_settings.json',
    });
  });

  it('honours XDG_CONFIG_HOME, CLAUDE_CONFIG_DIR and CODEX_HOME where the client does', () => {
    const env = { XDG_CONFIG_HOME: '/x', CLAUDE_CONFIG_DIR: '/cc', CODEX_HOME: '/cx' };
    const l = clientLocations({ ...linux, env });
    expect(l['claude-desktop'].user[0]).toBe('/x/Claude/claude_desktop_config.json');
    expect(l.vscode.user[0]).toBe('/x/Code/User/mcp.json');
    expect(l.zed.user[0]).toBe('/x/zed/settings.json');
    expect(l.opencode.user[1]).toBe('/x/opencode/opencode.json');
    expect(l['claude-code'].user[0]).toBe('/cc/.claude.json');
    expect(l.codex.user[0]).toBe('/cx/config.toml');
    // macOS Zed and Claude Desktop ignore XDG; OpenCode follows it everywhere.
    const m = clientLocations({ ...mac, env });
    expect(m.zed.user[0]).toBe('/Users/ann/.config/zed/settings.json');
    expect(m['claude-desktop'].user[0]).toContain('Library/Application Support/Claude');
    expect(m.opencode.user[0]).toBe('/x/opencode/opencode.jsonc');
  });

  it('has project-scope paths where the client has a project scope', () => {
    const l = clientLocations(linux);
    expect(l['claude-code'].project!('/r')).toEqual(['/r/.mcp.json']);
    expect(l.cursor.project!('/r')).toEqual(['/r/.cursor/mcp.json']);
    expect(l.vscode.project!('/r')).toEqual(['/r/.vscode/mcp.json']);
    expect(l.gemini.project!('/r')).toEqual(['/r/.gemini/settings.json']);
    expect(l.codex.project!('/r')).toEqual(['/r/.codex/config.toml']);
    expect(l.zed.project!('/r')).toEqual(['/r/.zed/settings.json']);
    expect(l['qwen-code'].project!('/r')).toEqual(['/r/.qwen/settings.json']);
    expect(l['copilot-cli'].project!('/r')).toEqual(['/r/.mcp.json']);
    expect(l.kiro.project!('/r')).toEqual(['/r/.kiro/settings/mcp.json']);
    expect(l['roo-code'].project!('/r')).toEqual(['/r/.roo/mcp.json']);
    expect(l.crush.project!('/r')).toEqual(['/r/crush.json', '/r/.crush.json']);
    expect(l['kilo-code'].project!('/r')).toEqual(['/r/.kilocode/mcp.json']);
    for (const id of CLIENT_IDS) {
      expect(Boolean(l[id].project), id).toBe(CLIENT_DEFS[id].scopes.includes('project'));
    }
  });
});

describe('choosing among candidates', () => {
  const win32 = clientLocations(win)['claude-desktop'].user;
  const pick = (present: string[]) =>
    pickConfigPath(win32, async (f) => present.includes(f), path.win32.dirname);
  const [msix, classic] = win32 as [string, string];

  it('Claude Desktop on Windows: an existing file wins, else the installed flavour’s folder', async () => {
    expect(await pick([classic, msix])).toBe(msix);
    expect(await pick([classic])).toBe(classic);
    // The Store app has run (its folder exists) but has no config yet: create it there.
    expect(await pick([path.win32.dirname(msix)])).toBe(msix);
    expect(await pick([path.win32.dirname(classic)])).toBe(classic);
    expect(await pick([])).toBe(classic);
  });
});

describe('the bridge entry', () => {
  it('packaged: the app executable with ELECTRON_RUN_AS_NODE and the bundled script', () => {
    const launch = bridgeLaunch(
      {
        kind: 'packaged',
        appExecutable: 'C:\\Program Files\\Switchboard\\Switchboard.exe',
        bridgeScript: 'C:\\Program Files\\Switchboard\\resources\\cli\\switchboard.mjs',
      },
      'prj_abcdefghijk',
    );
    expect(launch).toEqual({
      command: 'C:\\Program Files\\Switchboard\\Switchboard.exe',
      args: [
        'C:\\Program Files\\Switchboard\\resources\\cli\\switchboard.mjs',
        'bridge',
        '--project',
        'prj_abcdefghijk',
      ],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
    expect(switchboardProjectId(launch)).toBe('prj_abcdefghijk');
    expect(
      switchboardProjectId({ ...launch, args: ['bridge', '--project', 'acme'] }),
    ).toBeUndefined();
  });

  let tmp: TempHome;
  beforeEach(async () => (tmp = await makeTempHome('sb-spaces-')));
  afterEach(() => tmp.cleanup());

  it.each(CLIENT_IDS)('keeps paths with spaces and backslashes intact in %s', async (id) => {
    const appExecutable = 'C:\\Program Files\\Switchboard\\Switch "board".exe';
    const bridgeScript =
      '/Applications/Switchboard.app/Contents/Resources/Application Support/cli/switchboard.mjs';
    const { clients, projects } = clientsIn(tmp, { kind: 'packaged', appExecutable, bridgeScript });
    const p = await projects.add({ name: 'acme', url: 'https://mcp.acme.test/mcp' });
    const result = await clients.install({ client: id }, 'acme');
    const def = CLIENT_DEFS[id];
    const text = await fs.readFile(result.path, 'utf8');
    const doc = parseClientConfig(def, result.path, text);
    const launch = def.readStdio(doc.servers()['acme']);
    expect(launch).toEqual({
      command: appExecutable,
      args: [bridgeScript, 'bridge', '--project', p.id],
      env: { ELECTRON_RUN_AS_NODE: '1', SWITCHBOARD_HOME: path.resolve(tmp.dataDir) },
    });
  });
});

describe('client entries', () => {
  const launch = { command: '/n', args: ['bridge', '--project', 'prj_abcdefghijk'], env: {} };
  it('Codex names the keychain variables to pass through on Linux only (names, no values)', () => {
    expect(CLIENT_DEFS.codex.entry(launch, { platform: 'linux', name: 'acme' })).toEqual({
      ...launch,
      env: undefined,
      env_vars: ['DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR'],
    });
    for (const platform of ['darwin', 'win32']) {
      expect(CLIENT_DEFS.codex.entry(launch, { platform, name: 'acme' })).not.toHaveProperty(
        'env_vars',
      );
    }
  });

  it('Goose entries carry their name; Continue items are keyed by it', () => {
    expect(CLIENT_DEFS.goose.entry(launch, { platform: 'linux', name: 'acme' })).toMatchObject({
      name: 'acme',
      type: 'stdio',
      cmd: '/n',
    });
    expect(CLIENT_DEFS.continue.listKeyedBy).toBe('name');
  });
});

describe('client entry readers', () => {
  it("reads Zed's legacy nested command shape", () => {
    expect(
      CLIENT_DEFS.zed.readStdio({ command: { path: '/bin/pg', args: ['run'], env: { A: '1' } } }),
    ).toEqual({ command: '/bin/pg', args: ['run'], env: { A: '1' } });
  });

  it("reads OpenCode's command array", () => {
    expect(
      CLIENT_DEFS.opencode.readStdio({
        type: 'local',
        command: ['/bin/x', 'a'],
        environment: { B: '2' },
      }),
    ).toEqual({ command: '/bin/x', args: ['a'], env: { B: '2' } });
  });
});
