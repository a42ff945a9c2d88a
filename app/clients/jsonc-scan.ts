import { parseTree, visit, type Node, type ParseError } from 'jsonc-parser';

/** jsonc-parser's Node, writable while we build it. */
interface MNode {
  type: Node['type'];
  value?: unknown;
  offset: number;
  length: number;
  parent?: MNode;
  children?: MNode[];
}

export const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false } as const;

/**
 * Parses a JSONC document into a *partial* tree: the root object with one property node per
 * top-level key (values as childless stubs), and a full subtree only for `key`, the servers
 * map. jsonc-parser's `parseTree` allocates a node per value, which takes seconds on a
 * multi-megabyte `~/.claude.json`; `visit` validates the whole text without allocating, and
 * only the small servers map is built. Node offsets are absolute, parents are linked, so
 * `findNodeAtLocation`, `getNodeValue` (on the servers subtree) and our edits work unchanged.
 */
export function parseTopLevel(
  text: string,
  key: string,
): { root: Node | undefined; errors: ParseError[]; topLevel: string | undefined } {
  const errors: ParseError[] = [];
  let depth = 0;
  let topLevel: string | undefined;
  let root: MNode | undefined;
  let prop: MNode | undefined;
  let valueStart = -1;
  let valueType: Node['type'] = 'null';

  const endValue = (end: number) => {
    if (!prop || !root) return;
    const keyNode = prop.children![0]!;
    const value: MNode =
      keyNode.value === key && valueType === 'object'
        ? rebase(parseTree(text.slice(valueStart, end), [], PARSE_OPTIONS) as MNode, valueStart)
        : { type: valueType, offset: valueStart, length: end - valueStart };
    value.parent = prop;
    prop.children!.push(value);
    prop.length = end - prop.offset;
    // A repeated key: the last one wins, as in JSON.parse.
    root.children = root.children!.filter(
      (p) => p === prop || p.children?.[0]?.value !== keyNode.value,
    );
    prop = undefined;
  };

  const begin = (type: 'object' | 'array', offset: number) => {
    if (depth === 0 && topLevel === undefined) {
      topLevel = type;
      if (type === 'object') root = { type: 'object', offset, length: 0, children: [] };
    } else if (depth === 1 && prop) {
      valueStart = offset;
      valueType = type;
    }
    depth++;
  };
  const end = (offset: number, length: number) => {
    depth--;
    if (depth === 1) endValue(offset + length);
    if (depth === 0 && root && root.length === 0) root.length = offset + length - root.offset;
  };

  visit(
    text,
    {
      onObjectBegin: (offset) => begin('object', offset),
      onArrayBegin: (offset) => begin('array', offset),
      onObjectEnd: end,
      onArrayEnd: end,
      onObjectProperty: (name, offset, length) => {
        if (depth !== 1 || !root) return;
        prop = { type: 'property', offset, length, parent: root, children: [] };
        prop.children!.push({ type: 'string', value: name, offset, length, parent: prop });
        root.children!.push(prop);
      },
      onLiteralValue: (value: unknown, offset, length) => {
        if (depth === 0 && topLevel === undefined) topLevel = typeof value;
        if (depth !== 1 || !prop) return;
        valueStart = offset;
        valueType = value === null ? 'null' : (typeof value as 'string' | 'number' | 'boolean');
        endValue(offset + length);
      },
      onError: (error, offset, length) => {
        errors.push({ error, offset, length });
      },
    },
    PARSE_OPTIONS,
  );
  return { root: root as Node | undefined, errors, topLevel };
}

function rebase(node: MNode, base: number): MNode {
  node.offset += base;
  for (const child of node.children ?? []) rebase(child, base);
  return node;
}
