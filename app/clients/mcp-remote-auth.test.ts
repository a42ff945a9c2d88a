import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startOAuthTestServer, type OAuthTestServer } from '../testing/oauth-server.js';
import { mcpRemoteConfigDir, signInWithRealMcpRemote } from '../testing/real-mcp-remote.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import {
  findMcpRemoteAuthFiles,
  mcpRemoteHash,
  mcpRemoteHashInputOf,
  readMcpRemoteGrant,
} from './mcp-remote-auth.js';

// The file names and shapes are mcp-remote 0.15.1's own: the real program writes them here (in a
// private network namespace, against the real test AS) and our hash must name the same files.
let tmp: TempHome;
let as: OAuthTestServer;
beforeEach(async () => {
  tmp = await makeTempHome('sb-mcp-remote-files-');
  as = await startOAuthTestServer();
});
afterEach(async () => {
  await as.close();
  await tmp.cleanup();
});

it('names the files as mcp-remote does: the URL alone, and with --resource, --authorize-param and --header', async () => {
  const args = [
    '--resource',
    as.mcpUrl,
    '--authorize-param',
    'audience=wiki',
    '--header',
    'X-Team:wiki',
  ];
  await signInWithRealMcpRemote({ home: tmp.home, mcpUrl: as.mcpUrl });
  await signInWithRealMcpRemote({ home: tmp.home, mcpUrl: as.mcpUrl, args });
  const plain = mcpRemoteHash({ url: as.mcpUrl });
  const input = mcpRemoteHashInputOf(['-y', 'mcp-remote', as.mcpUrl, ...args])!;
  expect(input).toMatchObject({
    url: as.mcpUrl,
    resource: as.mcpUrl,
    authorizeParams: { audience: 'wiki' },
    headers: { 'X-Team': 'wiki' },
  });
  const withOptions = mcpRemoteHash(input);
  expect(withOptions).not.toBe(plain);
  const found = await findMcpRemoteAuthFiles({ platform: 'linux', env: {}, home: tmp.home });
  expect(found.map((f) => `${f.hash} ${f.kind}`).sort()).toEqual(
    [
      `${plain} client-info`,
      `${plain} tokens`,
      `${withOptions} client-info`,
      `${withOptions} tokens`,
    ].sort(),
  );
  // Field names only, never values.
  const tokens = found.find((f) => f.hash === plain && f.kind === 'tokens')!;
  expect(tokens.fields).toEqual(
    expect.arrayContaining(['access_token', 'expires_at', 'refresh_token']),
  );
  const grant = await readMcpRemoteGrant(tokens.path, plain);
  expect(grant).toMatchObject({ state: 'valid', client: { redirect_uris: [expect.any(String)] } });
  expect(grant!.accessExpiresAt).toBeGreaterThan(Date.now());
});

it('grant state: expires_at (ms) decides; older files without it use mtime + expires_in', async () => {
  const dir = mcpRemoteConfigDir(tmp.home);
  await fs.mkdir(dir, { recursive: true });
  const write = async (hash: string, tokens: object) => {
    const file = path.join(dir, `${hash}_tokens.json`);
    await fs.writeFile(file, JSON.stringify(tokens));
    return file;
  };
  const h = (n: number) => String(n).repeat(32);
  const past = Date.now() - 1000;
  expect(
    (
      await readMcpRemoteGrant(
        await write(h(1), {
          access_token: 'a',
          token_type: 'Bearer',
          expires_at: past,
          refresh_token: 'r',
        }),
        h(1),
      )
    )?.state,
  ).toBe('refreshable');
  expect(
    (
      await readMcpRemoteGrant(
        await write(h(2), { access_token: 'a', token_type: 'Bearer', expires_at: past }),
        h(2),
      )
    )?.state,
  ).toBe('expired');
  expect(
    (
      await readMcpRemoteGrant(
        await write(h(3), {
          access_token: 'a',
          token_type: 'Bearer',
          expires_at: String(Date.now() + 3_600_000),
        }),
        h(3),
      )
    )?.state,
  ).toBe('valid');
  const old = await write(h(4), { access_token: 'a', token_type: 'Bearer', expires_in: 3600 });
  const aDayAgo = new Date(Date.now() - 86_400_000);
  await fs.utimes(old, aDayAgo, aDayAgo);
  expect((await readMcpRemoteGrant(old, h(4)))?.state).toBe('expired');
  expect(
    await readMcpRemoteGrant(await write(h(5), { token_type: 'Bearer' }), h(5)),
  ).toBeUndefined();
});
