import { describe, expect, it } from 'vitest';
import { CLIENT_DEFS } from './defs/index.js';
import { isReference, remoteOf, scanEntry } from './secret-scan.js';

const TOKEN = 'sk-' + 'proj_' + 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const where = (entry: unknown) => scanEntry(entry).map((h) => h.at.join('.'));

describe('scanEntry', () => {
  it('finds secrets in headers, env, --header args, flags, URL queries and token shapes', () => {
    expect(
      where({ url: 'https://x.dev/mcp', headers: { Authorization: 'Bearer abc123' } }),
    ).toEqual(['headers.Authorization']);
    expect(where({ command: 'x', env: { GITHUB_TOKEN: 'abc', LOG_LEVEL: 'debug' } })).toEqual([
      'env.GITHUB_TOKEN',
    ]);
    expect(
      where({ command: 'npx', args: ['mcp-remote', 'https://x.dev', '--header', 'X-Api-Key:abc'] }),
    ).toEqual(['args.3']);
    expect(where({ command: 'srv', args: ['--token', 'abc', '--api-key=def'] })).toEqual([
      'args.1',
      'args.2',
    ]);
    expect(where({ url: 'https://x.dev/mcp?apikey=abc' })).toEqual(['url']);
    expect(where({ command: 'srv', args: [TOKEN] })).toEqual(['args.0']);
    expect(where({ bearer_token: 'abc' })).toEqual(['bearer_token']);
  });

  it('leaves references and ordinary values alone', () => {
    for (const v of [
      '${TOKEN}',
      '${env:TOKEN}',
      'Bearer ${input:gh}',
      '{env:TOKEN}',
      '$TOKEN',
      '',
    ]) {
      expect(isReference(v), v).toBe(true);
    }
    expect(
      where({
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/ann/projects'],
        env: { NODE_ENV: 'production', AUTH: '${AUTH_FROM_SHELL}' },
        headers: { 'X-Org': 'acme', Authorization: 'Bearer ${env:GH}' },
      }),
    ).toEqual([]);
  });

  it('never returns a hit without the place it is at', () => {
    for (const hit of scanEntry({ env: { API_KEY: TOKEN }, headers: { Cookie: 'session=1' } })) {
      expect(hit.at.length).toBeGreaterThan(0);
      expect(hit.why).not.toContain(hit.value);
    }
  });
});

describe('remoteOf', () => {
  it('reads native url/serverUrl/httpUrl entries with their headers', () => {
    expect(
      remoteOf({ serverUrl: 'https://w.dev/mcp', headers: { A: '1' } }, undefined),
    ).toMatchObject({
      url: 'https://w.dev/mcp',
      headers: { A: '1' },
      unresolved: [],
    });
    expect(remoteOf({ httpUrl: 'https://g.dev/mcp' }, undefined)?.url).toBe('https://g.dev/mcp');
  });

  it('reads mcp-remote bridges, resolving ${VAR} from the entry env and flagging the rest', () => {
    const entry = {
      command: 'npx',
      args: [
        '-y',
        'mcp-remote@0.1.0',
        'https://l.dev/mcp',
        '--header',
        'Authorization:${AUTH}',
        '--header',
        'X-Key:${MISSING}',
      ],
      env: { AUTH: 'Bearer abc' },
    };
    expect(remoteOf(entry, CLIENT_DEFS.cursor.readStdio(entry))).toEqual({
      url: 'https://l.dev/mcp',
      headers: { Authorization: 'Bearer abc' },
      unresolved: ['X-Key'],
      via: 'mcp-remote',
    });
  });

  it('ignores local stdio servers', () => {
    const entry = { command: 'uvx', args: ['weather', 'https://docs.example.com'] };
    expect(remoteOf(entry, CLIENT_DEFS.cursor.readStdio(entry))).toBeUndefined();
  });
});
