import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';

// Issue 16 items 13 and 15, through the built CLI in a temp HOME/SWITCHBOARD_HOME.
let home: TempHome;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  home = await makeTempHome('sb-careless-');
  env = { ...home.env, SWITCHBOARD_SECRET_STORE: 'file' };
});
afterEach(() => home.cleanup());

const cli = (args: string[], stdin?: string) => runCliProcess(args, { env, stdin });
const projectsJson = () => fs.readFile(path.join(home.dataDir, 'projects.json'), 'utf8');

describe('careless input', () => {
  it('token add on an auth:none project switches it to bearer and says so (item 13)', async () => {
    expect(
      (await cli(['project', 'add', 'acme', '--url', 'https://mcp.example.com/mcp'])).code,
    ).toBe(0);
    const added = await cli(
      ['token', 'add', 'acme', '--token-stdin'],
      'sbt_first_bearer_token_0123456789',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toContain('now sends this token as a bearer token');
    const shown = JSON.parse((await cli(['project', 'show', 'acme', '--json'])).stdout) as {
      auth: string;
    };
    expect(shown.auth).toBe('bearer');
  });

  it('a secret-looking plain --header is refused (name or value), with the keychain way and an override (item 15)', async () => {
    const key = 'sk_live_0123456789abcdefghijABCD';
    for (const header of [`X-Api-Key: short`, `X-Custom: ${key}`]) {
      const r = await cli([
        'project',
        'add',
        'acme',
        '--url',
        'https://mcp.example.com/mcp',
        '--header',
        header,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('like a secret');
      expect(r.stderr).toContain('--secret-header');
      expect(r.stderr).not.toContain(key);
      expect(r.stderr).not.toContain('short');
    }
    await expect(projectsJson()).rejects.toThrow(/ENOENT/);
    const ok = await cli([
      'project',
      'add',
      'acme',
      '--url',
      'https://mcp.example.com/mcp',
      '--header',
      'X-Region: eu',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const edit = await cli(['project', 'edit', 'acme', '--header', `X-Custom: ${key}`]);
    expect(edit.code).toBe(2);
    expect(await projectsJson()).not.toContain(key);
    const forced = await cli([
      'project',
      'edit',
      'acme',
      '--header',
      'X-Api-Key: public-demo',
      '--plain-header-ok',
    ]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await projectsJson()).toContain('public-demo');
  });

  it('a corrupt secret file is reported by position, never quoted (item 5)', async () => {
    const file = path.join(home.dataDir, 'secrets.insecure.json');
    await fs.mkdir(home.dataDir, { recursive: true, mode: 0o700 });
    await fs.writeFile(file, '{"version":1,"secrets":{"tok_a":SECRETVALUE123}}', {
      mode: 0o600,
    });
    const { InsecureFileStore } = await import('../vault/file-store.js');
    const error = await new InsecureFileStore(home.dataDir).get('tok_a').then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/invalid JSON/);
    expect(error?.message).not.toMatch(/ALUE1|SECRET/);
    // …and the file is left as it was.
    expect(await fs.readFile(file, 'utf8')).toContain('SECRETVALUE123');
  });
});
