import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../shared/errors.js';
import { YamlDoc } from './yaml-doc.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const goose = (text: string) => new YamlDoc('/cfg.yaml', text, ['extensions']);
const cont = (text: string) => new YamlDoc('/cfg.yaml', text, ['mcpServers'], 'name');
const entry = { name: 'acme', type: 'stdio', cmd: '/n', args: ['bridge', '--project', 'prj_x'] };

function error(fn: () => unknown): SwitchboardError {
  try {
    fn();
  } catch (e) {
    return e as SwitchboardError;
  }
  throw new Error('did not throw');
}

describe('YamlDoc (Goose extensions map)', () => {
  it('adds our entry after the last one at the same indentation and takes it back byte-for-byte', async () => {
    const text = await fs.readFile(path.join(FIXTURES, 'extensions.yaml'), 'utf8');
    const next = goose(text).withEntry('acme', entry);
    expect(next.startsWith(text.slice(0, text.indexOf('\nGOOSE_MODE')))).toBe(true);
    expect(next).toContain('    enabled: true   # keep me\n');
    expect(next).toContain(
      "    args: [-y, '@modelcontextprotocol/server-github']\n    enabled: false\n    envs: {}\n    type: stdio\n  acme:\n    name: acme\n",
    );
    expect(Object.keys(goose(next).servers())).toEqual(['developer', 'github', 'acme']);
    expect(goose(next).servers().acme).toEqual(entry);
    expect(goose(next).withoutEntry('acme')).toBe(text);
  });

  it('replaces only our entry, keeps CRLF', () => {
    const text = 'extensions:\r\n  acme:\r\n    cmd: old\r\n  other:\r\n    cmd: x # c\r\n';
    const next = goose(text).withEntry('acme', entry);
    expect(next).toContain('\r\n  other:\r\n    cmd: x # c\r\n');
    expect(next.replace(/\r\n/g, '')).not.toContain('\n');
    expect(goose(next).servers().acme).toEqual(entry);
  });

  it('starts the map under an empty key and in a file without one', () => {
    expect(goose('extensions:\nother: 1\n').withEntry('acme', { cmd: '/n' })).toBe(
      'extensions:\n  acme:\n    cmd: /n\nother: 1\n',
    );
    expect(goose('# mine\nmodel: x').withEntry('acme', { cmd: '/n' })).toBe(
      '# mine\nmodel: x\nextensions:\n  acme:\n    cmd: /n\n',
    );
  });

  it.each([
    ['extensions: { a: { cmd: x } }\n', 'flow style'],
    ['extensions: [1, 2]\n', 'is not a mapping'],
    ['- a\n- b\n', 'top level is not a YAML mapping'],
    ['extensions:\n  a: [1, 2\n  b: 3\n', 'Cannot parse /cfg.yaml:'],
    ['a: 1\na: 2\n', 'Map keys must be unique'],
  ])('refuses %j with a clear error', (text, why) => {
    const e = error(() => goose(text).withEntry('acme', entry));
    expect(e).toBeInstanceOf(SwitchboardError);
    expect(e.message).toContain(why);
    expect(e.message).toContain('left the file untouched');
  });

  it('locates an entry and a key inside it', async () => {
    const text = await fs.readFile(path.join(FIXTURES, 'extensions.yaml'), 'utf8');
    expect(goose(text).locate('github')).toEqual({ line: 13, column: 5 });
    expect(goose(text).locate('github', ['cmd'])).toEqual({ line: 14, column: 10 });
  });
});

describe('YamlDoc (Continue mcpServers list)', () => {
  it('reads the list by name, appends an item, and removes it byte-for-byte', async () => {
    const text = await fs.readFile(path.join(FIXTURES, 'mcpServers.yaml'), 'utf8');
    const doc = cont(text);
    expect(Object.keys(doc.servers())).toEqual(['SQLite', 'weather']);
    expect(doc.servers().weather).toEqual({ command: 'uvx', args: ['weather-mcp'] });
    const next = doc.withEntry('acme', { command: '/n', args: ['a'] });
    expect(next).toContain(
      '    args: [weather-mcp]\n  - name: acme\n    command: /n\n    args:\n      - a\ncontext:\n',
    );
    expect(cont(next).servers().acme).toEqual({ command: '/n', args: ['a'] });
    expect(cont(next).withoutEntry('acme')).toBe(text);
  });

  it('refuses a servers key that is not a list', () => {
    expect(error(() => cont('mcpServers:\n  a: 1\n')).message).toContain('is not a list');
  });
});
