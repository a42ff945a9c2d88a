import { applyEdits, modify, type FormattingOptions, type Node } from 'jsonc-parser';

/**
 * Text edits on a JSONC document that touch only the bytes of one property. jsonc-parser's
 * `modify` with formatting re-formats every line its edit touches, which rewrites a sibling
 * that shares the line (e.g. `"a": {…}, // note`); here the new property gets lines of its own,
 * rendered in the file's indentation and line endings, and removal takes exactly those back.
 */
export interface Style {
  unit: string;
  eol: string;
}

export function styleOf(fmt: FormattingOptions): Style {
  return { unit: fmt.insertSpaces ? ' '.repeat(fmt.tabSize ?? 2) : '\t', eol: fmt.eol ?? '\n' };
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** True when only whitespace precedes `offset` on its line. */
function startsLine(text: string, offset: number): boolean {
  return text.slice(lineStart(text, offset), offset).trim() === '';
}

function render(value: unknown, indent: string, style: Style): string {
  return JSON.stringify(value, null, style.unit)
    .split('\n')
    .join(style.eol + indent);
}

/** Skips spaces, tabs and one same-line comment; returns where the line's content ends. */
function endOfLineContent(text: string, from: number): number {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text.startsWith('//', i)) {
    while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  } else if (text.startsWith('/*', i)) {
    const close = text.indexOf('*/', i + 2);
    const nl = text.slice(i, close).search(/[\r\n]/);
    if (close > 0 && nl < 0) i = close + 2;
    while (text[i] === ' ' || text[i] === '\t') i++;
  }
  return i;
}

function isEolAt(text: string, i: number): boolean {
  return text[i] === '\n' || text[i] === '\r' || i >= text.length;
}

function skipBlank(text: string, i: number): number {
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

/** Adds `key: value` as the last property of `obj` (an object node). */
export function insertProperty(
  text: string,
  obj: Node,
  key: string,
  value: unknown,
  style: Style,
): string {
  const children = obj.children ?? [];
  const last = children[children.length - 1];
  const objIndent = indentAt(text, obj.offset);
  const ind =
    last && startsLine(text, last.offset) ? indentAt(text, last.offset) : objIndent + style.unit;
  const prop = `${JSON.stringify(key)}: ${render(value, ind, style)}`;
  if (!last) {
    const inner = text.slice(obj.offset + 1, obj.offset + obj.length - 1);
    if (inner.trim() === '') {
      const block = `{${style.eol}${ind}${prop}${style.eol}${objIndent}}`;
      return text.slice(0, obj.offset) + block + text.slice(obj.offset + obj.length);
    }
    // Only comments inside: our property goes on its own line after the brace.
    const at = obj.offset + 1;
    return text.slice(0, at) + style.eol + ind + prop + text.slice(at);
  }
  const end = last.offset + last.length;
  let after = skipBlank(text, end);
  const trailing = text[after] === ',';
  if (trailing) after++;
  const lineEnd = endOfLineContent(text, after);
  if (!isEolAt(text, lineEnd) || !startsLine(text, last.offset)) {
    // A compact one-line object: let jsonc-parser insert without re-formatting anything.
    return applyEdits(text, modify(text, objectPath(obj, key), value, {}));
  }
  const block = style.eol + ind + prop + (trailing ? ',' : '');
  const withBlock = text.slice(0, lineEnd) + block + text.slice(lineEnd);
  return trailing ? withBlock : withBlock.slice(0, end) + ',' + withBlock.slice(end);
}

/** Removes the property `prop` (a property node) and exactly what insertProperty added for it. */
export function removeProperty(text: string, obj: Node, prop: Node): string {
  const children = obj.children ?? [];
  const index = children.indexOf(prop);
  const end = prop.offset + prop.length;
  let after = skipBlank(text, end);
  const hasComma = text[after] === ',';
  if (hasComma) after++;
  const lineEnd = endOfLineContent(text, after);
  const ownLine = startsLine(text, prop.offset) && isEolAt(text, lineEnd);
  if (!ownLine) return applyEdits(text, modify(text, objectPath(obj, keyOf(prop)), undefined, {}));
  const start = lineStart(text, prop.offset);
  const eolLen = text[start - 2] === '\r' && text[start - 1] === '\n' ? 2 : 1;
  const cutStart = start - eolLen;
  const cutEnd = hasComma ? after : end;
  let out = text.slice(0, cutStart) + text.slice(cutEnd);
  const prev = children[index - 1];
  if (children.length === 1) {
    // The object is empty again: close it up the way an empty object is written.
    const innerStart = obj.offset + 1;
    const rest = out.slice(innerStart);
    const close = rest.search(/\S/);
    if (close >= 0 && rest[close] === '}') out = out.slice(0, innerStart) + rest.slice(close);
  } else if (prev && !hasComma) {
    // We were last without a trailing comma: take back the comma we added after our neighbour.
    const prevEnd = prev.offset + prev.length;
    const comma = skipBlank(out, prevEnd);
    if (out[comma] === ',') out = out.slice(0, comma) + out.slice(comma + 1);
  }
  return out;
}

/** Replaces a property's value in place, indented like the property's line. */
export function replaceValue(text: string, valueNode: Node, value: unknown, style: Style): string {
  const ind = indentAt(text, valueNode.parent?.offset ?? valueNode.offset);
  return (
    text.slice(0, valueNode.offset) +
    render(value, ind, style) +
    text.slice(valueNode.offset + valueNode.length)
  );
}

function keyOf(prop: Node): string {
  return String(prop.children?.[0]?.value);
}

function objectPath(obj: Node, key: string): (string | number)[] {
  const path: (string | number)[] = [key];
  let node: Node | undefined = obj;
  while (node?.parent) {
    const parent: Node = node.parent;
    if (parent.type === 'property') {
      path.unshift(String(parent.children?.[0]?.value));
      node = parent.parent;
    } else if (parent.type === 'array') {
      path.unshift(parent.children?.indexOf(node) ?? 0);
      node = parent;
    } else node = parent;
  }
  return path;
}
