/**
 * The HTTP headers a 2026-07-28 POST must carry (SEP-2243): `MCP-Protocol-Version` equal to the
 * body's `_meta` claim, `Mcp-Method`, `Mcp-Name` for the methods that name a target, and one
 * `Mcp-Param-{Name}` per tool parameter its schema marks with `x-mcp-header`. Values that are
 * not plain ASCII travel in the Base64 sentinel `=?base64?…?=`.
 */
import { isRequest, type Message } from '../protocol.js';
import { META, MODERN_VERSION } from './modern-wire.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Which body field `Mcp-Name` mirrors, per method. */
const NAME_SOURCE: Record<string, string> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PRIMITIVE = new Set(['string', 'integer', 'boolean']);
/** Schema positions `x-mcp-header` may not sit under (only a chain of `properties` counts). */
const UNREACHABLE = [
  'items',
  'prefixItems',
  'contains',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
  'patternProperties',
  'dependentSchemas',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  '$defs',
  'definitions',
];

/** Keywords whose value maps names to subschemas (rather than being one). */
const NAMED_SUBSCHEMAS = new Set(['patternProperties', 'dependentSchemas', '$defs', 'definitions']);

export interface HeaderDeclaration {
  path: string[];
  header: string;
}

/**
 * The `x-mcp-header` declarations of a tool's input schema, or `invalid` with the reason when
 * the schema breaks a rule (a client must then not call the tool with custom headers at all).
 */
export function scanHeaderDeclarations(
  schema: unknown,
): { ok: true; declarations: HeaderDeclaration[] } | { ok: false; reason: string } {
  const declarations: HeaderDeclaration[] = [];
  const seen = new Set<string>();
  const visit = (
    node: unknown,
    path: string[],
    reachable: boolean,
    depth: number,
  ): string | undefined => {
    if (!isObj(node) || depth > 32) return undefined;
    if ('x-mcp-header' in node) {
      const name = node['x-mcp-header'];
      const where = path.join('.') || '<root>';
      if (!reachable || path.length === 0)
        return `${where}: x-mcp-header is only allowed on properties`;
      if (typeof name !== 'string' || !TOKEN.test(name))
        return `${where}: x-mcp-header must be an HTTP token`;
      if (typeof node.type !== 'string' || !PRIMITIVE.has(node.type)) {
        return `${where}: x-mcp-header needs a string, integer or boolean property`;
      }
      if (seen.has(name.toLowerCase())) return `x-mcp-header '${name}' is declared twice`;
      seen.add(name.toLowerCase());
      declarations.push({ path, header: name });
    }
    if (isObj(node.properties)) {
      for (const [key, child] of Object.entries(node.properties)) {
        const fault = visit(child, [...path, key], reachable, depth + 1);
        if (fault) return fault;
      }
    }
    for (const k of UNREACHABLE) {
      const sub = node[k];
      if (sub === undefined) continue;
      const branches = Array.isArray(sub)
        ? sub
        : isObj(sub) && NAMED_SUBSCHEMAS.has(k)
          ? Object.values(sub)
          : [sub];
      for (const b of branches) {
        const fault = visit(b, [...path, `<${k}>`], false, depth + 1);
        if (fault) return fault;
      }
    }
    return undefined;
  };
  const fault = visit(schema, [], true, 0);
  return fault ? { ok: false, reason: fault } : { ok: true, declarations };
}

/** A header value as the spec encodes it: plain when safe ASCII, else the Base64 sentinel. */
export function encodeHeaderValue(value: string): string {
  const plain =
    value.length > 0 &&
    value === value.trim() &&
    !(value.startsWith('=?base64?') && value.endsWith('?=')) &&
    /^[\t\x20-\x7e]*$/.test(value);
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function primitiveText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!Number.isInteger(v) || Number.isSafeInteger(v))
  ) {
    return String(v);
  }
  return undefined;
}

/**
 * Per-connection header state: learns tools' header declarations from `tools/list` results
 * and computes the headers of each outgoing modern POST.
 */
export class ModernHeaders {
  private readonly tools = new Map<string, HeaderDeclaration[]>();
  /** Tools whose schema breaks the `x-mcp-header` rules, with the reason. */
  readonly invalidTools = new Map<string, string>();

  /** Whether a `tools/list` result was seen (declarations are known, possibly none). */
  listed = false;

  /** Records the header declarations of every tool in a `tools/list` result. */
  learnTools(result: unknown): void {
    if (!isObj(result) || !Array.isArray(result.tools)) return;
    this.listed = true;
    for (const tool of result.tools) {
      if (!isObj(tool) || typeof tool.name !== 'string') continue;
      const scan = scanHeaderDeclarations(tool.inputSchema);
      if (scan.ok) {
        this.invalidTools.delete(tool.name);
        if (scan.declarations.length > 0) this.tools.set(tool.name, scan.declarations);
        else this.tools.delete(tool.name);
      } else {
        this.tools.delete(tool.name);
        this.invalidTools.set(tool.name, scan.reason);
      }
    }
  }

  /** The era's headers for one outgoing message (requests only; notifications need none). */
  headersFor(m: Message): Record<string, string> | undefined {
    if (!isRequest(m)) return undefined;
    const params = (m as { params?: unknown }).params;
    const meta = isObj(params) && isObj(params._meta) ? params._meta : undefined;
    const version = meta?.[META.protocolVersion];
    const h: Record<string, string> = {
      'mcp-protocol-version': typeof version === 'string' ? version : MODERN_VERSION,
      'mcp-method': m.method,
    };
    const field = Object.hasOwn(NAME_SOURCE, m.method) ? NAME_SOURCE[m.method] : undefined;
    const name = field && isObj(params) ? params[field] : undefined;
    if (typeof name === 'string') h['mcp-name'] = encodeHeaderValue(name);
    if (m.method === 'tools/call' && typeof name === 'string' && isObj(params)) {
      const args = params.arguments;
      for (const d of this.tools.get(name) ?? []) {
        let v: unknown = args;
        for (const key of d.path) v = isObj(v) ? v[key] : undefined;
        const text = primitiveText(v);
        if (text !== undefined) h[`mcp-param-${d.header.toLowerCase()}`] = encodeHeaderValue(text);
      }
    }
    return h;
  }
}
