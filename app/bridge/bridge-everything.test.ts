import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectsService } from '../projects/projects-service.js';
import { connectBridgeClient, type BridgeClient } from '../testing/bridge-client.js';
import { CLI_PATH, REPO_ROOT } from '../testing/run-cli.js';
import { startServerEverything, type RunningPeer } from '../testing/server-everything.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';

// Real peers: @modelcontextprotocol/server-everything (pinned to 127.0.0.1) behind the built
// bridge, driven by an SDK stdio Client that declares every capability, and by inspector-cli.
let home: TempHome;
let everything: RunningPeer;
let host: BridgeClient;

beforeAll(async () => {
  home = await makeTempHome('sb-everything-');
  everything = await startServerEverything();
  await new ProjectsService(home.dataDir).add({ name: 'everything', url: everything.url });
  host = await connectBridgeClient('everything', home.env);
});

afterAll(async () => {
  await host?.close();
  await everything?.stop();
  await home?.cleanup();
});

type ToolText = { content: Array<{ type: string; text?: string }> };
const textOf = (r: unknown) => (r as ToolText).content.map((c) => c.text ?? '').join('\n');

describe('bridge ⇄ server-everything', () => {
  it('lists the tools the client capabilities unlock and calls echo', async () => {
    const { tools } = await host.client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'echo',
        'trigger-long-running-operation',
        'trigger-sampling-request',
        'trigger-elicitation-request',
        'get-roots-list',
      ]),
    );
    const r = await host.client.callTool({ name: 'echo', arguments: { message: 'via bridge' } });
    expect(textOf(r)).toBe('Echo: via bridge');
    await host.client.ping();
  });

  it('delivers every progress notification (counted at the transport)', async () => {
    const before = host.received.length;
    const r = await host.client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 0.4, steps: 4 } },
      undefined,
      { onprogress: () => undefined },
    );
    expect(textOf(r)).toMatch(/completed/i);
    const progress = host.received
      .slice(before)
      .filter((m) => 'method' in m && m.method === 'notifications/progress');
    expect(progress).toHaveLength(4);
  });

  it('carries sampling and elicitation requests from the server to the client and back', async () => {
    const s = await host.client.callTool({
      name: 'trigger-sampling-request',
      arguments: { prompt: 'hello', maxTokens: 5 },
    });
    expect(textOf(s)).toContain('sampled(');
    expect(host.served.sampling).toBe(1);
    const e = await host.client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
    expect(textOf(e)).toMatch(/declined/i);
    expect(host.served.elicitation).toBe(1);
  });

  it('answers roots/list, including the one sent unprompted on the GET stream after init', async () => {
    // server-everything asks for roots 350 ms after initialized, on the standalone GET stream.
    for (let i = 0; i < 50 && host.served.roots === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(host.served.roots).toBeGreaterThanOrEqual(1);
    const r = await host.client.callTool({ name: 'get-roots-list', arguments: {} });
    expect(textOf(r)).toContain('switchboard-test-root');
  });

  it('delivers logging notifications from the GET stream', async () => {
    await host.client.setLoggingLevel('debug');
    const before = host.received.length;
    await host.client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
    for (let i = 0; i < 50; i++) {
      const got = host.received
        .slice(before)
        .some((m) => 'method' in m && m.method === 'notifications/message');
      if (got) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(
      host.received
        .slice(before)
        .some((m) => 'method' in m && m.method === 'notifications/message'),
    ).toBe(true);
    await host.client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
  });

  it('reads resources and gets prompts', async () => {
    const res = await host.client.readResource({ uri: 'demo://resource/dynamic/text/1' });
    expect(res.contents.length).toBeGreaterThan(0);
    const prompt = await host.client.getPrompt({
      name: 'args-prompt',
      arguments: { city: 'Paris' },
    });
    expect(JSON.stringify(prompt.messages)).toContain('Paris');
  });
});

describe('inspector-cli as a second client', () => {
  // inspector-cli finds its package.json relative to the cwd's parent: run it from app/.
  const inspector = path.join(
    REPO_ROOT,
    'node_modules',
    '@modelcontextprotocol',
    'inspector-cli',
    'build',
    'index.js',
  );
  const run = (args: string[]) =>
    promisify(execFile)(
      process.execPath,
      [inspector, process.execPath, CLI_PATH, 'bridge', '--project', 'everything', ...args],
      { cwd: path.join(REPO_ROOT, 'app'), env: home.env, timeout: 30_000 },
    );

  it('lists tools and calls one through the bridge', async () => {
    const list = await run(['--method', 'tools/list']);
    expect(list.stdout).toContain('"echo"');
    const call = await run([
      '--method',
      'tools/call',
      '--tool-name',
      'get-sum',
      '--tool-arg',
      'a=2',
      'b=40',
    ]);
    expect(call.stdout).toContain('42');
  });
});
