import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { SwitchboardError } from '../shared/errors.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import type { ClientsService } from './clients-service.js';
import { CLIENT_DEFS } from './defs/index.js';
import { scanEntry } from './secret-scan.js';
import { clientsIn } from './test-support.js';
import { CLIENT_IDS, type ClientId } from './types.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => fs.readFile(path.join(FIXTURES, name));

/** The fixture holding "other servers present" for each client's root key / format. */
function baseFixture(id: ClientId): string {
  const def = CLIENT_DEFS[id];
  if (def.format === 'toml') return 'codex.toml';
  if (def.format === 'yaml') return `${def.serversKey[0]}.yaml`;
  return `${def.serversKey[0]}.jsonc`;
}

type Variant = 'missing' | 'empty' | 'comments' | 'crlf' | 'bom' | 'no-servers-key';
const VARIANTS: Variant[] = ['missing', 'empty', 'comments', 'crlf', 'bom', 'no-servers-key'];

async function variantBytes(id: ClientId, v: Variant): Promise<Buffer | undefined> {
  if (v === 'missing') return undefined;
  if (v === 'empty') return Buffer.alloc(0);
  if (v === 'no-servers-key') {
    const format = CLIENT_DEFS[id].format;
    if (format === 'yaml') return Buffer.from('# settings\nmodel: o3\n');
    return format === 'toml' ? Buffer.from('model = "o3"\n') : fixture('no-servers-key.json');
  }
  const base = (await fixture(baseFixture(id))).toString('utf8');
  if (v === 'crlf') return Buffer.from(base.replace(/\n/g, '\r\n'));
  if (v === 'bom') return Buffer.from('\uFEFF' + base);
  return Buffer.from(base);
}

function serversOf(id: ClientId, bytes: Buffer): Record<string, unknown> {
  const def = CLIENT_DEFS[id];
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const doc = (
    def.format === 'toml'
      ? parseToml(text)
      : def.format === 'yaml'
        ? parseYaml(text)
        : parseJsonc(text)
  ) as Record<string, unknown> | null;
  const servers = doc?.[def.serversKey[0]!] ?? {};
  // Continue keeps a list of { name, … }: read it as a map by name, without the name.
  if (def.listKeyedBy && Array.isArray(servers)) {
    return Object.fromEntries(
      (servers as Record<string, unknown>[]).map(({ [def.listKeyedBy!]: name, ...rest }) => [
        String(name),
        rest,
      ]),
    );
  }
  return servers as Record<string, unknown>;
}

/** No client config may ever hold a secret: known values, or token shapes in our entry. */
function assertSecretFree(id: ClientId, bytes: Buffer, known: string[]): void {
  const text = bytes.toString('utf8');
  for (const secret of known) expect(text).not.toContain(secret);
  const ours = serversOf(id, bytes)['acme'];
  if (ours) expect(scanEntry(ours)).toEqual([]);
}

let tmp: TempHome;
let clients: ClientsService;
let projectId: string;
const TOKEN = 'sbt_live_0123456789abcdefghijklmnopqrstuv';

beforeEach(async () => {
  tmp = await makeTempHome('sb-clients-');
  const made = clientsIn(tmp);
  clients = made.clients;
  projectId = (
    await made.projects.add({ name: 'acme', url: 'https://mcp.acme.test/mcp', auth: 'bearer' })
  ).id;
});
afterEach(() => tmp.cleanup());

async function placed(id: ClientId, bytes: Buffer | undefined): Promise<string> {
  const { path: file } = await clients.configPath({ client: id });
  if (bytes) {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, bytes);
  }
  return file;
}

const read = (file: string) => fs.readFile(file).catch(() => undefined);

describe.each(CLIENT_IDS)('%s', (id) => {
  it.each(VARIANTS)('install → uninstall is byte-identical (%s)', async (variant) => {
    const original = await variantBytes(id, variant);
    const file = await placed(id, original);
    const dirExisted = await exists(path.dirname(file));
    if (original) await fs.chmod(file, 0o640);

    const plan = await clients.planInstall({ client: id }, 'acme');
    expect(plan.changed).toBe(true);
    expect(plan.diff).toContain('bridge');
    expect(await read(file), 'preview writes nothing').toEqual(original);

    const result = await clients.install({ client: id }, 'acme', {
      expectSha256: plan.beforeSha256,
    });
    expect(result.path).toBe(file);
    const after = (await read(file))!;
    assertSecretFree(id, after, [TOKEN]);
    const entry = serversOf(id, after)['acme'];
    const launch = CLIENT_DEFS[id].readStdio(entry);
    expect(launch?.command).toBe(process.execPath);
    expect(launch?.args.slice(-3)).toEqual(['bridge', '--project', projectId]);
    expect(launch?.env.SWITCHBOARD_HOME).toBe(tmp.dataDir);

    if (original) {
      expect((await fs.stat(file)).mode & 0o777, 'mode kept').toBe(0o640);
      const text = original.toString('utf8');
      // Everything that was there is still there: other servers, comments, BOM, line endings.
      for (const [name] of Object.entries(serversOf(id, original))) {
        expect(serversOf(id, after)).toHaveProperty([name]);
      }
      if (text.includes('//'))
        expect(after.toString('utf8')).toContain(text.split('\n')[1]!.trim());
      if (variant === 'bom') expect(after.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      if (variant === 'crlf')
        expect(after.toString('utf8').replace(/\r\n/g, '')).not.toContain('\n');
      expect(result.backup).toBeDefined();
      expect(await fs.readFile(result.backup!)).toEqual(original);
    }

    // Installing again changes nothing.
    expect((await clients.planInstall({ client: id }, 'acme')).changed).toBe(false);

    const un = await clients.uninstall({ client: id }, 'acme');
    assertSecretFree(id, (await read(file)) ?? Buffer.alloc(0), [TOKEN]);
    if (original) expect(await read(file)).toEqual(original);
    else {
      expect(un.removesFile).toBe(true);
      expect(await read(file)).toBeUndefined();
      expect(await exists(path.dirname(file)), 'created folder removed').toBe(dirExisted);
    }
  });

  it.each(['comments', 'crlf', 'bom'] as const)(
    'surgical uninstall alone (no install record) restores the original bytes (%s)',
    async (variant) => {
      const original = (await variantBytes(id, variant))!;
      const file = await placed(id, original);
      await clients.install({ client: id }, 'acme');
      // Forget the install record: uninstall must undo the edit from the text alone.
      await fs.rm(path.join(tmp.dataDir, 'clients', 'installs.json'));
      await clients.uninstall({ client: id }, 'acme');
      expect((await fs.readFile(file)).toString('utf8')).toBe(original.toString('utf8'));
    },
  );

  it('uninstall after someone else edited the file removes only our entry', async () => {
    const original = (await variantBytes(id, 'comments'))!;
    const file = await placed(id, original);
    await clients.install({ client: id }, 'acme');
    // Another tool (or the user) changes the file after our install.
    const later = CLIENT_DEFS[id].format === 'jsonc' ? '// later edit\n' : '# later edit\n';
    const edited = (await fs.readFile(file, 'utf8')).replace(/(\r?\n)$/, '$1') + later;
    await fs.writeFile(file, edited);
    await clients.uninstall({ client: id }, 'acme');
    const after = await fs.readFile(file, 'utf8');
    expect(after).toContain('later edit');
    expect(serversOf(id, Buffer.from(after))).not.toHaveProperty(['acme']);
    expect(Object.keys(serversOf(id, Buffer.from(after)))).toEqual(
      Object.keys(serversOf(id, original)),
    );
    expect(after).toBe(original.toString('utf8') + later);
  });

  it('leaves a corrupt file untouched and says where', async () => {
    const format = CLIENT_DEFS[id].format;
    const bytes = await fixture(format === 'jsonc' ? 'corrupt.json' : `corrupt.${format}`);
    const file = await placed(id, bytes);
    const error = await clients.install({ client: id }, 'acme').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchboardError);
    expect((error as Error).message).toMatch(new RegExp(`${escape(file)}:\\d+:\\d+`));
    expect((error as Error).message).toContain('left the file untouched');
    expect(await fs.readFile(file)).toEqual(bytes);
  });

  it('refuses a read-only file and loses nothing', async () => {
    const bytes = (await variantBytes(id, 'comments'))!;
    const file = await placed(id, bytes);
    await fs.chmod(file, 0o444);
    const error = await clients.install({ client: id }, 'acme').catch((e: unknown) => e);
    expect((error as SwitchboardError).code).toBe('REFUSED');
    expect((error as Error).message).toContain('read-only');
    expect(await fs.readFile(file)).toEqual(bytes);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o444);
  });

  it("refuses to replace someone else's entry of the same name", async () => {
    const file = await placed(id, Buffer.alloc(0));
    await fs.writeFile(file, '');
    // Put a foreign "acme" entry in place with a plain edit, then try to install over it.
    const def = CLIENT_DEFS[id];
    const foreign =
      def.format === 'toml'
        ? '[mcp_servers.acme]\ncommand = "acme-mcp"\n'
        : def.format === 'yaml'
          ? def.listKeyedBy
            ? `${def.serversKey[0]}:\n  - name: acme\n    command: acme-mcp\n`
            : `${def.serversKey[0]}:\n  acme:\n    cmd: acme-mcp\n    command: acme-mcp\n`
          : JSON.stringify(
              setPath({}, CLIENT_DEFS[id].serversKey, { acme: { command: 'acme-mcp', args: [] } }),
              null,
              2,
            );
    await fs.writeFile(file, foreign);
    const error = await clients.install({ client: id }, 'acme').catch((e: unknown) => e);
    expect((error as SwitchboardError).code).toBe('CONFLICT');
    expect((error as Error).message).toContain('did not write');
    expect(await fs.readFile(file, 'utf8')).toBe(foreign);
    const un = await clients.uninstall({ client: id }, 'acme').catch((e: unknown) => e);
    expect((un as SwitchboardError).code).toBe('NOT_FOUND');
    expect(await fs.readFile(file, 'utf8')).toBe(foreign);
  });
});

function setPath(
  root: Record<string, unknown>,
  keys: string[],
  value: unknown,
): Record<string, unknown> {
  let node = root;
  keys.slice(0, -1).forEach((k) => (node = (node[k] = {}) as Record<string, unknown>));
  node[keys[keys.length - 1]!] = value;
  return root;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
