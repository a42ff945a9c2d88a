import {
  findNodeAtLocation,
  getNodeValue,
  printParseErrorCode,
  type FormattingOptions,
  type Node,
} from 'jsonc-parser';
import { lineColumn, unparseable } from './config-error.js';
import type { ConfigDoc } from './config-doc.js';
import { isRecord } from './defs/common.js';
import { insertProperty, removeProperty, replaceValue, styleOf } from './jsonc-edit.js';
import { parseTopLevel } from './jsonc-scan.js';

/** Indentation and line endings of the existing text, so our edit looks like the rest. */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /^([ \t]+)\S/m.exec(text)?.[1];
  if (indented?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indented ? Math.min(indented.length, 8) : 2, eol };
}

/** A JSON/JSONC document edited surgically: only the bytes of our entry change. */
export class JsoncDoc implements ConfigDoc {
  private readonly tree: Node | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    private readonly serversKey: string[],
  ) {
    // A nested path (Claude Code's projects[<dir>].mcpServers) works too: the partial parse
    // builds the whole subtree of its first key.
    // A blank file is an empty config, not an error.
    const parsed = text.trim() === '' ? undefined : parseTopLevel(text, serversKey[0]!);
    this.tree = parsed?.root;
    const first = parsed?.errors[0];
    if (first) {
      // "CloseBraceExpected" → "close brace expected".
      const why = printParseErrorCode(first.error)
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .toLowerCase();
      throw unparseable(file, why, lineColumn(text, first.offset));
    }
    if (parsed && parsed.topLevel !== 'object') {
      throw unparseable(file, 'the top level is not a JSON object');
    }
    const servers = this.tree && findNodeAtLocation(this.tree, serversKey);
    if (servers && servers.type !== 'object') {
      throw unparseable(
        file,
        `"${serversKey.join('.')}" is not an object`,
        lineColumn(text, servers.offset),
      );
    }
  }

  servers(): Record<string, unknown> {
    const node = this.tree && findNodeAtLocation(this.tree, this.serversKey);
    const value: unknown = node ? getNodeValue(node) : undefined;
    return isRecord(value) ? value : {};
  }

  locate(name: string, sub: (string | number)[] = []) {
    const node = this.tree && findNodeAtLocation(this.tree, [...this.serversKey, name, ...sub]);
    return node ? lineColumn(this.text, node.offset) : undefined;
  }

  withEntry(name: string, value: Record<string, unknown>): string {
    const style = styleOf(detectFormatting(this.text));
    if (this.text.trim() === '') {
      // A missing or blank file: a fresh document ending in a newline.
      const fresh = new JsoncDoc(this.file, '{}', this.serversKey);
      return fresh.withEntry(name, value).replace(/\n/g, style.eol) + style.eol;
    }
    const existing = findNodeAtLocation(this.tree!, [...this.serversKey, name]);
    if (existing) return replaceValue(this.text, existing, value, style);
    // The deepest object that exists on the way to the servers map gets the rest as one value.
    let depth = this.serversKey.length;
    let node = findNodeAtLocation(this.tree!, this.serversKey);
    while (!node && depth > 0) {
      depth--;
      node =
        depth === 0 ? this.tree : findNodeAtLocation(this.tree!, this.serversKey.slice(0, depth));
    }
    if (!node || node.type !== 'object') {
      throw unparseable(
        this.file,
        `"${this.serversKey.slice(0, depth).join('.')}" is not an object`,
      );
    }
    const rest = [...this.serversKey.slice(depth), name];
    let nested: unknown = value;
    for (const k of rest.slice(1).reverse()) nested = { [k]: nested };
    return insertProperty(this.text, node, rest[0]!, nested, style);
  }

  withoutEntry(name: string): string {
    const valueNode = this.tree && findNodeAtLocation(this.tree, [...this.serversKey, name]);
    const prop = valueNode?.parent;
    if (!valueNode || !prop?.parent) return this.text;
    return removeProperty(this.text, prop.parent, prop);
  }
}
