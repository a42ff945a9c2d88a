import { describe, expect, it } from 'vitest';
import { ModernHeaders, encodeHeaderValue, scanHeaderDeclarations } from './modern-headers.js';
import { eraOfProbeAnswer } from './modern-wire.js';

const call = (name: string, args: unknown, meta: Record<string, unknown> = {}) =>
  ({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name, arguments: args, _meta: meta },
  }) as never;

describe('2026-07-28 request headers (SEP-2243)', () => {
  it('encodes only what is not a plain ASCII field value', () => {
    expect(encodeHeaderValue('eu-west-1')).toBe('eu-west-1');
    expect(encodeHeaderValue('in between')).toBe('in between');
    for (const raw of ['Zürich', ' lead', 'trail ', 'a\r\nb', '', '=?base64?eA==?=']) {
      const encoded = encodeHeaderValue(raw);
      expect(encoded).toMatch(/^=\?base64\?.*\?=$/);
      expect(Buffer.from(encoded.slice(9, -2), 'base64').toString('utf8')).toBe(raw);
    }
  });

  it('accepts primitive properties reachable through properties, rejects the rest', () => {
    const ok = scanHeaderDeclarations({
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        nested: { type: 'object', properties: { n: { type: 'integer', 'x-mcp-header': 'N' } } },
      },
    });
    expect(ok).toEqual({
      ok: true,
      declarations: [
        { path: ['region'], header: 'Region' },
        { path: ['nested', 'n'], header: 'N' },
      ],
    });
    const bad = [
      { value: { type: 'string', 'x-mcp-header': '' } },
      { value: { type: 'number', 'x-mcp-header': 'Score' } },
      { value: { type: 'array', items: { type: 'string' }, 'x-mcp-header': 'Items' } },
      { a: { type: 'string', 'x-mcp-header': 'My Field' } },
      { a: { type: 'string', 'x-mcp-header': 'Région' } },
      { a: { type: 'string', 'x-mcp-header': 'X' }, b: { type: 'string', 'x-mcp-header': 'x' } },
      { list: { type: 'array', items: { type: 'string', 'x-mcp-header': 'Item' } } },
    ];
    for (const properties of bad) {
      expect(
        scanHeaderDeclarations({ type: 'object', properties }).ok,
        JSON.stringify(properties),
      ).toBe(false);
    }
  });

  it('derives the standard and parameter headers from the message', () => {
    const h = new ModernHeaders();
    h.learnTools({
      tools: [
        {
          name: 'regional',
          inputSchema: {
            type: 'object',
            properties: {
              region: { type: 'string', 'x-mcp-header': 'Region' },
              on: { type: 'boolean', 'x-mcp-header': 'On' },
            },
          },
        },
        {
          name: 'broken',
          inputSchema: {
            type: 'object',
            properties: { s: { type: 'number', 'x-mcp-header': 'S' } },
          },
        },
      ],
    });
    expect(
      h.headersFor(
        call(
          'regional',
          { region: 'ap', on: false },
          { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' },
        ),
      ),
    ).toEqual({
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'regional',
      'mcp-param-region': 'ap',
      'mcp-param-on': 'false',
    });
    // Absent and null values get no header.
    expect(h.headersFor(call('regional', { region: null }))).not.toHaveProperty('mcp-param-region');
    expect(h.invalidTools.has('broken')).toBe(true);
    expect(
      h.headersFor({ jsonrpc: '2.0', method: 'notifications/cancelled' } as never),
    ).toBeUndefined();
  });
});

describe('what a probe answer says', () => {
  it('is modern only for a DiscoverResult offering 2026-07-28 or a -32022 that does', () => {
    const discover = { supportedVersions: ['2026-07-28'], capabilities: {} };
    expect(eraOfProbeAnswer({ jsonrpc: '2.0', id: 1, result: discover } as never)).toBe('modern');
    expect(
      eraOfProbeAnswer({
        jsonrpc: '2.0',
        id: 1,
        result: { ...discover, supportedVersions: ['2027-01-01'] },
      } as never),
    ).toBe('legacy');
    expect(
      eraOfProbeAnswer({
        jsonrpc: '2.0',
        id: 1,
        error: { code: -32022, message: 'x', data: { supported: ['2026-07-28'] } },
      } as never),
    ).toBe('modern');
    for (const code of [-32601, -32020, -32021, -32001, -32022]) {
      expect(
        eraOfProbeAnswer({ jsonrpc: '2.0', id: 1, error: { code, message: 'x' } } as never),
      ).toBe('legacy');
    }
    expect(eraOfProbeAnswer({ jsonrpc: '2.0', id: 1, result: {} } as never)).toBe('legacy');
  });
});
