import { parse as parseStrict, TomlError } from 'smol-toml';
import { parseTOML, type AST } from 'toml-eslint-parser';
import { lineColumn, unparseable } from './config-error.js';
import type { ConfigDoc } from './config-doc.js';
import { isRecord } from './defs/common.js';

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function tomlKey(key: string): string {
  return BARE_KEY.test(key) ? key : JSON.stringify(key);
}

/** TOML basic strings accept JSON's escapes, so JSON.stringify yields a valid TOML string. */
function tomlValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(', ')}]`;
  if (isRecord(value)) {
    const parts = Object.entries(value).map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`);
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  throw new Error(`Cannot write ${typeof value} to TOML`);
}

/**
 * Codex's config.toml. We own exactly one `[mcp_servers.<name>]` table: found through
 * toml-eslint-parser's source ranges, replaced or removed as text, with everything outside it
 * byte-for-byte unchanged, and the result re-parsed (smol-toml) to verify.
 */
export class TomlDoc implements ConfigDoc {
  private readonly data: Record<string, unknown>;
  private readonly ast: AST.TOMLProgram;

  constructor(
    readonly file: string,
    readonly text: string,
    private readonly serversKey: string[],
  ) {
    try {
      this.data = parseStrict(text) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof TomlError) {
        throw unparseable(file, error.message.split('\n')[0] ?? 'invalid TOML', {
          line: error.line,
          column: error.column,
        });
      }
      throw unparseable(file, (error as Error).message);
    }
    try {
      this.ast = parseTOML(text);
    } catch (error) {
      const e = error as { message: string; lineNumber?: number; column?: number };
      throw unparseable(
        file,
        e.message,
        e.lineNumber ? { line: e.lineNumber, column: (e.column ?? 0) + 1 } : undefined,
      );
    }
    const servers = this.data[serversKey[0]!];
    if (servers !== undefined && !isRecord(servers)) {
      throw unparseable(file, `"${serversKey.join('.')}" is not a table`);
    }
  }

  servers(): Record<string, unknown> {
    let node: unknown = this.data;
    for (const k of this.serversKey) node = isRecord(node) ? node[k] : undefined;
    return isRecord(node) ? node : {};
  }

  /** The tables that make up one server: `[mcp_servers.name]` and its sub-tables. */
  private tablesOf(name: string): AST.TOMLTable[] {
    const top = this.ast.body[0];
    if (!top) return [];
    const prefix = [...this.serversKey, name];
    return top.body.filter(
      (n): n is AST.TOMLTable =>
        n.type === 'TOMLTable' &&
        n.kind === 'standard' &&
        prefix.every((k, i) => n.resolvedKey[i] === k),
    );
  }

  locate(name: string, sub: (string | number)[] = []) {
    const table = this.tablesOf(name)[0];
    if (!table) return undefined;
    const kv = sub.length
      ? table.body.find(
          (b) =>
            b.key.keys.map((k) => ('name' in k ? k.name : k.value)).join('.') === String(sub[0]),
        )
      : undefined;
    return lineColumn(this.text, (kv ?? table).range[0]);
  }

  /** Start/end offsets of our server's text, including the line break that ends it. */
  private span(name: string): [number, number] | undefined {
    const tables = this.tablesOf(name);
    if (tables.length === 0) return undefined;
    const start = Math.min(...tables.map((t) => t.range[0]));
    let end = Math.max(...tables.map((t) => t.range[1]));
    const top = this.ast.body[0]!;
    // Anything else between our first and last table would be lost: refuse to splice.
    const inside = top.body.filter(
      (n) => n.range[0] >= start && n.range[1] <= end && !tables.includes(n as AST.TOMLTable),
    );
    if (inside.length) {
      throw unparseable(
        this.file,
        `[${[...this.serversKey, name].join('.')}] is split around other tables`,
      );
    }
    const rest = this.text.slice(end);
    const eol = /^[ \t]*(\r?\n)/.exec(rest);
    if (eol) end += eol[0].length;
    return [start, end];
  }

  private eol(): string {
    return this.text.includes('\r\n') ? '\r\n' : '\n';
  }

  private render(name: string, value: Record<string, unknown>): string {
    const eol = this.eol();
    const header = `[${[...this.serversKey, name].map(tomlKey).join('.')}]`;
    const lines = Object.entries(value).map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`);
    return [header, ...lines].join(eol) + eol;
  }

  withEntry(name: string, value: Record<string, unknown>): string {
    const existing = this.servers()[name];
    const span = this.span(name);
    if (existing !== undefined && !span) {
      throw unparseable(
        this.file,
        `mcp server "${name}" is defined inline or with dotted keys, which Switchboard does not edit`,
      );
    }
    const table = this.render(name, value);
    let next: string;
    if (span) {
      next = this.text.slice(0, span[0]) + table + this.text.slice(span[1]);
    } else {
      const eol = this.eol();
      const base = this.text === '' || /\r?\n$/.test(this.text) ? this.text : this.text + eol;
      next = base === '' ? table : base + eol + table;
    }
    this.verify(next, name, value);
    return next;
  }

  withoutEntry(name: string): string {
    const span = this.span(name);
    if (!span) return this.text;
    const end = span[1];
    let start = span[0];
    const eol = this.eol();
    // We add one blank line before a table we append; take it back with the table.
    if (start >= eol.length * 2 && this.text.slice(start - eol.length * 2, start) === eol + eol) {
      start -= eol.length;
    }
    const next = this.text.slice(0, start) + this.text.slice(end);
    this.verify(next, name, undefined);
    return next;
  }

  /** Re-parse the spliced text: it must be valid and hold exactly the intended entry. */
  private verify(next: string, name: string, expected: Record<string, unknown> | undefined): void {
    let parsed: Record<string, unknown>;
    try {
      parsed = parseStrict(next) as Record<string, unknown>;
    } catch (error) {
      throw unparseable(
        this.file,
        `the edited file would not be valid TOML (${(error as Error).message.split('\n')[0]})`,
      );
    }
    let servers: unknown = parsed;
    for (const k of this.serversKey) servers = isRecord(servers) ? servers[k] : undefined;
    const actual = isRecord(servers) ? servers[name] : undefined;
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw unparseable(
        this.file,
        'the edit did not read back as intended (a Switchboard bug; please report it)',
      );
    }
  }
}
