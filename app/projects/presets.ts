import { SwitchboardError } from '../shared/errors.js';
import type { AuthKind } from './project.js';

/** One secret a preset asks for: a bearer token, or the value of a header kept in the keychain. */
export type PresetSecret =
  | { kind: 'bearer'; label: string; hint: string; prefix?: string }
  | { kind: 'secret-header'; header: string; label: string; hint: string };

/**
 * A common shape of remote server (behind a tunnel, a gateway, a vendor): which auth it uses,
 * which secrets it needs, and what to check about its URL — so adding one is a choice and a
 * paste, not a wall of fields. Other modules contribute presets with `registerPreset`.
 */
export interface ProjectPreset {
  id: string;
  title: string;
  /** One line for menus and `--help`. */
  summary: string;
  group: 'tunnel' | 'gateway' | 'vendor';
  auth: AuthKind;
  /** Secrets in the order `--token-stdin` reads them (one per line). */
  secrets: PresetSecret[];
  /** Needs the token-issuing API (`--issuer`, `--issuer-project`) to mint project tokens. */
  needsIssuer?: boolean;
  /** The server answers `GET /healthz` next to its MCP endpoint (the tester probes it). */
  healthz?: boolean;
  urlPlaceholder: string;
  /** A problem with the URL for this preset, said so the user can fix it, if any. */
  checkUrl?: (url: URL) => string | undefined;
  /** What to do after adding, one line each (shown by the CLI and the window). */
  nextSteps?: (projectName: string) => string[];
}

const registry = new Map<string, ProjectPreset>();

/** Adds a preset (ids are unique; a second registration of the same id is a programming error). */
export function registerPreset(preset: ProjectPreset): void {
  if (registry.has(preset.id)) throw new Error(`preset "${preset.id}" is registered twice`);
  registry.set(preset.id, preset);
}

export function listPresets(): ProjectPreset[] {
  return [...registry.values()];
}

/** The preset `id`; `alsoKnown` are ids handled elsewhere (vendor presets), named in the error. */
export function getPreset(id: string, alsoKnown: readonly string[] = []): ProjectPreset {
  const preset = registry.get(id);
  if (!preset) {
    throw new SwitchboardError(
      'VALIDATION',
      `Unknown preset "${id}"; known presets: ${[...registry.keys(), ...alsoKnown].join(', ')}.`,
    );
  }
  return preset;
}

/** What the window and `project presets --json` see of a preset (no functions). */
export interface PresetView {
  id: string;
  title: string;
  summary: string;
  group: ProjectPreset['group'];
  auth: AuthKind;
  secrets: PresetSecret[];
  needsIssuer: boolean;
  healthz: boolean;
  urlPlaceholder: string;
}

export function presetView(p: ProjectPreset): PresetView {
  return {
    id: p.id,
    title: p.title,
    summary: p.summary,
    group: p.group,
    auth: p.auth,
    secrets: p.secrets,
    needsIssuer: p.needsIssuer === true,
    healthz: p.healthz === true,
    urlPlaceholder: p.urlPlaceholder,
  };
}

/** Secret header names a preset keeps in the keychain. */
export function presetSecretHeaders(preset: ProjectPreset): string[] {
  return preset.secrets.flatMap((s) => (s.kind === 'secret-header' ? [s.header] : []));
}

/** Checks a URL against a preset; throws the preset's own explanation when it does not fit. */
export function checkPresetUrl(preset: ProjectPreset, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return; // the project's own URL validation says what is wrong
  }
  const problem = preset.checkUrl?.(parsed);
  if (problem) throw new SwitchboardError('VALIDATION', `${preset.title}: ${problem}`);
}

/** Checks one secret's value against what the preset documents (a token prefix). */
export function checkPresetSecret(preset: ProjectPreset, secret: PresetSecret, value: string) {
  if (secret.kind === 'bearer' && secret.prefix && !value.startsWith(secret.prefix)) {
    throw new SwitchboardError(
      'VALIDATION',
      `${preset.title}: ${secret.label} should start with "${secret.prefix}"; check that you copied the right token.`,
    );
  }
  if (value.trim() === '') {
    throw new SwitchboardError('VALIDATION', `${preset.title}: ${secret.label} is empty.`);
  }
}

const hostEnds = (url: URL, suffixes: string[]) =>
  suffixes.some((s) => url.hostname === s.slice(1) || url.hostname.endsWith(s));

// Cloudflare Access service tokens: two headers on every request (Cloudflare Zero Trust docs,
// "Service tokens" → "Connect your service to Access").
registerPreset({
  id: 'cloudflare-access',
  title: 'Cloudflare Access',
  summary: 'a server behind Cloudflare Access, reached with a service token (client id + secret)',
  group: 'tunnel',
  auth: 'none',
  secrets: [
    {
      kind: 'secret-header',
      header: 'CF-Access-Client-Id',
      label: 'Client ID',
      hint: 'The service token’s Client ID (ends in .access).',
    },
    {
      kind: 'secret-header',
      header: 'CF-Access-Client-Secret',
      label: 'Client Secret',
      hint: 'Shown once when the service token was created.',
    },
  ],
  urlPlaceholder: 'https://mcp.example.com/mcp',
  checkUrl: (url) =>
    url.protocol === 'https:' ? undefined : 'Cloudflare Access serves https only.',
});

// Tailscale Serve (tailnet only) and Funnel (public): MagicDNS names `<host>.<tailnet>.ts.net`;
// the tailnet itself is the credential (Tailscale docs, "Tailscale Serve", "Tailscale Funnel").
registerPreset({
  id: 'tailscale',
  title: 'Tailscale Serve / Funnel',
  summary: 'a server on your tailnet (https://<machine>.<tailnet>.ts.net/…), no extra credential',
  group: 'tunnel',
  auth: 'none',
  secrets: [],
  healthz: true,
  urlPlaceholder: 'https://my-server.tail1234.ts.net/mcp',
  checkUrl: (url) =>
    hostEnds(url, ['.ts.net'])
      ? undefined
      : `${url.hostname} is not a tailnet name; Serve and Funnel use https://<machine>.<tailnet>.ts.net.`,
});

// ngrok endpoints with a traffic-policy header check (ngrok docs, "Traffic Policy" →
// "Add authentication"). Basic auth would need the Authorization header, which carries bearer
// tokens in Switchboard, so the preset uses a header of its own.
registerPreset({
  id: 'ngrok',
  title: 'ngrok',
  summary: 'a server behind an ngrok endpoint that checks a secret header',
  group: 'tunnel',
  auth: 'none',
  secrets: [
    {
      kind: 'secret-header',
      header: 'X-Ngrok-Auth',
      label: 'Header value',
      hint: 'The value your ngrok traffic policy expects in X-Ngrok-Auth.',
    },
  ],
  healthz: true,
  urlPlaceholder: 'https://my-server.ngrok.app/mcp',
  checkUrl: (url) =>
    hostEnds(url, ['.ngrok.app', '.ngrok-free.app', '.ngrok.dev', '.ngrok-free.dev', '.ngrok.io'])
      ? undefined
      : `${url.hostname} is not an ngrok domain (…ngrok.app, …ngrok-free.app, …ngrok.dev, …ngrok.io).`,
});

// MCP proxies' agent tokens: a bearer with a documented prefix, only /mcp exposed in tunnel mode,
// /healthz next to it (mcpproxy-go docs/features/agent-tokens.md: `mcp_agt_…`).
registerPreset({
  id: 'agent-token',
  title: 'MCP proxy agent token',
  summary: 'an MCP proxy or gateway that issues agent tokens (mcp_agt_…)',
  group: 'gateway',
  auth: 'bearer',
  secrets: [
    {
      kind: 'bearer',
      label: 'Agent token',
      hint: 'Created in the proxy (agent tokens), starts with mcp_agt_.',
      prefix: 'mcp_agt_',
    },
  ],
  healthz: true,
  urlPlaceholder: 'https://proxy.example.com/mcp',
});

// Gateways that mint project-scoped tokens (`<prefix>_<random>`, TTL, revocable) through an
// issuing API: Switchboard keeps the issuer key and mints the bearer itself.
registerPreset({
  id: 'gateway-token',
  title: 'Gateway with project-scoped tokens',
  summary: 'a gateway whose API mints project-scoped tokens (switchboard token mint)',
  group: 'gateway',
  auth: 'bearer',
  secrets: [],
  needsIssuer: true,
  urlPlaceholder: 'https://gw.example.com/mcp',
  nextSteps: (name) => [
    `switchboard token add ${name} --kind issuer-key --token-stdin   # the key that may mint tokens`,
    `switchboard token mint ${name} --ttl 30d                        # a project-scoped bearer`,
  ],
});
