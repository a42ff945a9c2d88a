/**
 * The environment an MCP client gives a server it spawns: only HOME, PATH, SHELL, TERM and USER
 * from its own (what the SDKs' default inheritance and Claude Desktop pass), plus the config
 * entry's `env`. Bridges under test get this, never the whole `process.env`.
 */
export function clientSpawnEnv(
  home: string,
  entryEnv: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'SHELL', 'TERM', 'USER']) {
    const v = process.env[name];
    if (v !== undefined) env[name] = v;
  }
  return { ...env, HOME: home, ...entryEnv };
}
