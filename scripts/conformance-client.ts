// The conformance *client* command: `conformance client --command "node …/conformance-client.mjs"`
// runs it with the scenario server's URL as the last argument. It puts that URL in a throwaway
// Switchboard project and drives it through a real `switchboard bridge` with an SDK stdio
// Client, so the bridge is the HTTP client under test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { ProjectsService } from '../app/projects/projects-service.js';
import { CLI_PATH } from '../app/testing/run-cli.js';

/**
 * What a host (an LLM) would fill in: the required parameters, plus the optional ones whose
 * names ask for values that exercise header encoding (non-ASCII, padding, control characters).
 */
const SAMPLE_STRINGS: Record<string, string> = {
  non_ascii_val: 'Zürich ☃',
  whitespace_val: '  padded  ',
  leading_space_val: ' leading',
  trailing_space_val: 'trailing ',
  internal_space_val: 'in between',
  control_char_val: 'bell\u0007here',
  crlf_val: 'line\r\nbreak',
  tab_val: '\tindented',
  method_val: 'tools/call',
};

function argumentsFor(schema: {
  properties?: Record<string, object>;
  required?: string[];
}): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const type = (prop as { type?: unknown }).type;
    if (name in SAMPLE_STRINGS && type === 'string') args[name] = SAMPLE_STRINGS[name];
    else if (!required.has(name)) continue;
    else if (type === 'string') args[name] = name === 'region' ? 'eu-west-1' : 'sample';
    else if (type === 'integer') args[name] = 3;
    else if (type === 'number') args[name] = 2.5;
    else if (type === 'boolean') args[name] = true;
  }
  return args;
}

const url = process.argv.at(-1) ?? '';
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-conf-client-'));
const dataDir = path.join(home, 'data');
let code = 0;
try {
  await new ProjectsService(dataDir).add({ name: 'scenario', url });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, 'bridge', '--project', 'scenario'],
    env: { ...process.env, HOME: home, SWITCHBOARD_HOME: dataDir } as Record<string, string>,
    stderr: 'inherit',
  });
  const client = new Client(
    { name: 'switchboard-conformance-client', version: '1.0.0' },
    { capabilities: { sampling: {}, elicitation: { form: { applyDefaults: true } } } },
  );
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: {} }));
  await client.connect(transport);
  if (scenario !== 'initialize') {
    const { tools } = await client.listTools();
    for (const tool of tools) {
      const args = tool.name === 'add_numbers' ? { a: 5, b: 3 } : argumentsFor(tool.inputSchema);
      await client.callTool({ name: tool.name, arguments: args }).catch((e: Error) => {
        process.stderr.write(`conformance client: ${tool.name}: ${e.message}\n`);
      });
    }
  }
  await client.close();
} catch (error) {
  process.stderr.write(`conformance client (${scenario}): ${(error as Error).message}\n`);
  code = 1;
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}
process.exit(code);
