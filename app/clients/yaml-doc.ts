import {
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  stringify,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { lineColumn, unparseable } from './config-error.js';
import type { ConfigDoc } from './config-doc.js';
import { isRecord } from './defs/common.js';

/** One server in the document: where its text starts and ends, and its value. */
interface Item {
  name: string;
  /** Offset of the start of the line the entry begins on. */
  start: number;
  /** Offset just past the entry's last line (its line break included). */
  end: number;
  node: Node | null;
  value: unknown;
}

/**
 * A YAML client config (Goose's `extensions` map, Continue's `mcpServers` list), parsed with the
 * `yaml` library's Document API for values and source ranges and edited as text: our entry is
 * spliced in or out at whole lines, so comments, quoting, anchors and layout elsewhere stay
 * byte-for-byte, and every edit is re-parsed to check it reads back as intended.
 */
export class YamlDoc implements ConfigDoc {
  private readonly doc: Document | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    private readonly serversKey: string[],
    /** For a list of `{ <key>: name, … }` items (Continue): the key holding the name. */
    private readonly listKeyedBy?: string,
  ) {
    if (serversKey.length !== 1) throw new Error('YamlDoc edits a top-level servers key only');
    if (text.trim() === '') return;
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) {
      throw unparseable(file, first.message.split('\n')[0] ?? 'invalid YAML', {
        line: first.linePos?.[0].line ?? 1,
        column: first.linePos?.[0].col ?? 1,
      });
    }
    if (doc.contents !== null && !isMap(doc.contents)) {
      throw unparseable(file, 'the top level is not a YAML mapping');
    }
    this.doc = doc;
    const servers = this.serversNode();
    // `key:` with nothing under it is an empty map (or list), not an error.
    const empty = servers === null || (isScalar(servers) && servers.value === null);
    if (servers !== undefined && !empty) {
      const want = listKeyedBy ? isSeq(servers) : isMap(servers);
      if (!want) {
        throw unparseable(
          file,
          `"${serversKey[0]}" is not a ${listKeyedBy ? 'list' : 'mapping'}`,
          lineColumn(text, servers.range?.[0] ?? 0),
        );
      }
      if ((servers as YAMLMap | YAMLSeq).flow) {
        throw unparseable(
          file,
          `"${serversKey[0]}" is written in flow style ({…} or […]), which Switchboard does not edit; write it as an indented block`,
          lineColumn(text, servers.range?.[0] ?? 0),
        );
      }
    }
  }

  private eol(): string {
    return this.text.includes('\r\n') ? '\r\n' : '\n';
  }

  private serversPair(): Pair<Node, Node | null> | undefined {
    const root = this.doc?.contents;
    if (!isMap(root)) return undefined;
    return (root as YAMLMap<Node, Node | null>).items.find(
      (p) => isScalar(p.key) && p.key.value === this.serversKey[0],
    );
  }

  private serversNode(): YAMLMap | YAMLSeq | Node | null | undefined {
    const pair = this.serversPair();
    return pair ? pair.value : undefined;
  }

  private lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Just past the line break that ends the line holding `offset - 1` (or the end of text). */
  private lineEnd(offset: number): number {
    if (offset > 0 && this.text[offset - 1] === '\n') return offset;
    const nl = this.text.indexOf('\n', offset);
    return nl === -1 ? this.text.length : nl + 1;
  }

  private items(): Item[] {
    const servers = this.serversNode();
    if (isMap(servers)) {
      return (servers as YAMLMap<Node, Node | null>).items.flatMap((p): Item[] => {
        if (!isScalar(p.key) || !p.key.range) return [];
        const endOffset = p.value?.range?.[2] ?? p.key.range[2];
        return [
          {
            name: String(p.key.value),
            start: this.lineStart(p.key.range[0]),
            end: this.lineEnd(endOffset),
            node: p.value,
            value: p.value ? (p.value.toJSON() as unknown) : null,
          },
        ];
      });
    }
    if (isSeq(servers) && this.listKeyedBy) {
      return (servers as YAMLSeq<Node>).items.flatMap((n): Item[] => {
        const value: unknown = n.toJSON();
        const name = isRecord(value) ? value[this.listKeyedBy!] : undefined;
        if (typeof name !== 'string' || !n.range) return [];
        return [
          {
            name,
            start: this.lineStart(n.range[0]),
            end: this.lineEnd(n.range[2]),
            node: n,
            value,
          },
        ];
      });
    }
    return [];
  }

  servers(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const item of this.items()) {
      if (!(item.name in out)) out[item.name] = this.entryValue(item.value);
    }
    return out;
  }

  /** For a list, the entry as the defs see it: the item without its name key. */
  private entryValue(value: unknown): unknown {
    if (!this.listKeyedBy || !isRecord(value)) return value;
    const { [this.listKeyedBy]: _name, ...rest } = value;
    return rest;
  }

  locate(name: string, sub: (string | number)[] = []) {
    const item = this.items().find((i) => i.name === name);
    if (!item) return undefined;
    let node: unknown = item.node;
    for (const k of sub) {
      node = isMap(node) || isSeq(node) ? (node as YAMLMap).get(k, true) : undefined;
    }
    const range = (node as Node | undefined)?.range ?? item.node?.range;
    return lineColumn(this.text, range ? range[0] : item.start);
  }

  /** Indentation unit of the file (2 unless its first indented line says otherwise). */
  private indentUnit(): number {
    const m = /^( +)\S/m.exec(this.text);
    return m ? Math.min(m[1]!.length, 8) : 2;
  }

  /** Our entry as YAML lines at `indent` columns, in the file's line endings. */
  private render(name: string, value: Record<string, unknown>, indent: string): string {
    const unit = this.indentUnit();
    const body = this.listKeyedBy
      ? stringify([{ [this.listKeyedBy]: name, ...value }], { indent: unit, lineWidth: 0 })
      : stringify({ [name]: value }, { indent: unit, lineWidth: 0 });
    const lines = body.replace(/\n$/, '').split('\n');
    const eol = this.eol();
    return lines.map((l) => indent + l).join(eol) + eol;
  }

  withEntry(name: string, value: Record<string, unknown>): string {
    const eol = this.eol();
    const key = this.serversKey[0]!;
    const existing = this.items().find((i) => i.name === name);
    let next: string;
    if (existing) {
      const indent = /^[ ]*/.exec(this.text.slice(existing.start))![0];
      next =
        this.text.slice(0, existing.start) +
        this.render(name, value, indent) +
        this.text.slice(existing.end);
    } else {
      const pair = this.serversPair();
      const items = this.items();
      if (pair && items.length > 0) {
        const last = items[items.length - 1]!;
        const indent = /^[ ]*/.exec(this.text.slice(last.start))![0];
        const at = last.end;
        const sep = at > 0 && this.text[at - 1] !== '\n' ? eol : '';
        next =
          this.text.slice(0, at) + sep + this.render(name, value, indent) + this.text.slice(at);
      } else if (pair) {
        // `key:` with nothing (or an empty block) under it: our entry goes right below it.
        const at = this.lineEnd(
          pair.key && (pair.key as Node).range ? (pair.key as Node).range![2] : 0,
        );
        const sep = at > 0 && this.text[at - 1] !== '\n' ? eol : '';
        const indent = ' '.repeat(this.listKeyedBy ? 0 : this.indentUnit());
        next =
          this.text.slice(0, at) + sep + this.render(name, value, indent) + this.text.slice(at);
      } else {
        const base = this.text === '' || this.text.endsWith('\n') ? this.text : this.text + eol;
        const indent = ' '.repeat(this.listKeyedBy ? 0 : this.indentUnit());
        next = base + `${key}:` + eol + this.render(name, value, indent);
      }
    }
    this.verify(next, name, value);
    return next;
  }

  withoutEntry(name: string): string {
    const item = this.items().find((i) => i.name === name);
    if (!item) return this.text;
    const next = this.text.slice(0, item.start) + this.text.slice(item.end);
    this.verify(next, name, undefined);
    return next;
  }

  /** The edited text must parse and hold exactly the intended entry. */
  private verify(next: string, name: string, expected: Record<string, unknown> | undefined): void {
    let actual: unknown;
    try {
      actual = new YamlDoc(this.file, next, this.serversKey, this.listKeyedBy).servers()[name];
    } catch (error) {
      throw unparseable(
        this.file,
        `the edited file would not be valid YAML (${(error as Error).message})`,
      );
    }
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw unparseable(
        this.file,
        'the edit did not read back as intended (a Switchboard bug; please report it)',
      );
    }
  }
}
