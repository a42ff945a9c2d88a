/** What the MCP server said in a 401/403 `WWW-Authenticate` header. Dependency-free: bridges use it. */
export interface Challenge {
  status: number;
  resourceMetadataUrl?: URL;
  scope?: string;
  error?: string;
}

/** Reads one `key=value` or `key="value"` parameter of a WWW-Authenticate header. */
function challengeParam(header: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|[\\s,])${key}=(?:"([^"]*)"|([^\\s,]+))`).exec(header);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function parseChallenge(status: number, header: string | null | undefined): Challenge {
  const c: Challenge = { status };
  if (!header || !/^\s*(bearer|dpop)\b/i.test(header)) return c;
  const rm = challengeParam(header, 'resource_metadata');
  if (rm) {
    try {
      c.resourceMetadataUrl = new URL(rm);
    } catch {
      // An unparsable URL is ignored: discovery falls back to the well-known paths.
    }
  }
  const scope = challengeParam(header, 'scope');
  if (scope) c.scope = scope;
  const error = challengeParam(header, 'error');
  if (error) c.error = error;
  return c;
}
