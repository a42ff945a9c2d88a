import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../shared/errors.js';
import { JsoncDoc } from './jsonc-doc.js';

const doc = (text: string) => new JsoncDoc('/cfg.json', text, ['mcpServers']);
const entry = { command: '/n', args: ['x'] };

describe('JsoncDoc', () => {
  it('only the top-level servers map counts; a nested one with the same key is someone else’s', () => {
    const text =
      '{\n  "other": { "mcpServers": { "deep": {} } },\n  "mcpServers": { "top": { "command": "t" } }\n}\n';
    expect(Object.keys(doc(text).servers())).toEqual(['top']);
    const next = doc(text).withEntry('acme', entry);
    expect(next).toContain('"other": { "mcpServers": { "deep": {} } }');
    expect(Object.keys(doc(next).servers())).toEqual(['top', 'acme']);
  });

  it('a repeated servers key: the last one wins, as in JSON.parse', () => {
    const text = '{ "mcpServers": { "a": {} }, "mcpServers": { "b": {} } }';
    expect(Object.keys(doc(text).servers())).toEqual(['b']);
  });

  it.each([
    ['[1, 2]', 'the top level is not a JSON object'],
    ['"x"', 'the top level is not a JSON object'],
    ['{ "mcpServers": [] }', '"mcpServers" is not an object'],
    ['{ "a": 1 } { "b": 2 }', 'end of file expected'],
    ['{ "a": 1,, }', 'property name expected'],
  ])('refuses %s with a positioned error', (text, why) => {
    const error = (() => {
      try {
        doc(text);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SwitchboardError);
    expect((error as Error).message).toContain(why);
    expect((error as Error).message).toMatch(/\/cfg\.json(:\d+:\d+)?: /);
  });

  it('locates entries and keys inside them by line and column', () => {
    const text =
      '{\n  "mcpServers": {\n    "gh": {\n      "headers": { "Authorization": "x" }\n    }\n  }\n}\n';
    expect(doc(text).locate('gh')).toEqual({ line: 3, column: 11 });
    expect(doc(text).locate('gh', ['headers', 'Authorization'])).toEqual({ line: 4, column: 37 });
  });

  it('replacing an existing entry keeps the neighbours and the indentation', () => {
    const text =
      '{\n    "mcpServers": {\n        "acme": { "command": "old" },\n        "z": {}\n    }\n}\n';
    const next = doc(text).withEntry('acme', entry);
    expect(next).toBe(
      '{\n    "mcpServers": {\n        "acme": {\n            "command": "/n",\n            "args": [\n                "x"\n            ]\n        },\n        "z": {}\n    }\n}\n',
    );
  });
});
