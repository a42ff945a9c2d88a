/**
 * Tunnels and gateways fail in their own ways: the edge answers with an HTML error page (a 502
 * or 530 from Cloudflare, ngrok's "endpoint offline"), which an MCP client reports as a JSON
 * parse error. This reads the edge's answer and says which half is down.
 */

export type TunnelState =
  /** The edge reached the tunnel, the tunnel could not reach the server behind it. */
  | 'server-down'
  /** The edge has no tunnel to send the request to (the tunnel agent is not running). */
  | 'tunnel-down';

export interface TunnelDiagnosis {
  edge: 'cloudflare' | 'ngrok' | 'tailscale' | 'proxy';
  state: TunnelState;
  httpStatus: number;
  /** The edge's own error code, when it gives one (e.g. ERR_NGROK_3200, Cloudflare 1033). */
  code?: string;
  message: string;
}

export interface HealthzProbe {
  url: string;
  ok: boolean;
  httpStatus?: number;
  message: string;
}

/** What the edge answered: enough of it to recognise an error page. */
export interface EdgeAnswer {
  status: number;
  headers: Headers;
  /** The first few KB of the body. */
  body: string;
}

const MAX_BODY = 8192;

function isHtmlOrText(a: EdgeAnswer): boolean {
  const type = a.headers.get('content-type') ?? '';
  return /text\/html|text\/plain/i.test(type) || /^\s*<(!doctype|html)/i.test(a.body);
}

/** Recognises an edge's error page; undefined when the answer is not one (e.g. real MCP). */
export function diagnoseEdgeAnswer(a: EdgeAnswer, host: string): TunnelDiagnosis | undefined {
  if (a.status < 400) return undefined;
  const ngrokCode =
    a.headers.get('ngrok-error-code') ?? /ERR_NGROK_\d+/.exec(a.body)?.[0] ?? undefined;
  if (ngrokCode) {
    // ngrok docs, error codes: 3200 endpoint offline; 8012 the agent could not reach upstream.
    const down = /ERR_NGROK_(3200|3004|3084)/.test(ngrokCode);
    return {
      edge: 'ngrok',
      state: down ? 'tunnel-down' : 'server-down',
      httpStatus: a.status,
      code: ngrokCode,
      message: down
        ? `ngrok answered for ${host} but no tunnel is online (${ngrokCode}): start the ngrok agent for this endpoint.`
        : `The ngrok tunnel for ${host} is up but the server behind it is not answering (${ngrokCode}): start the MCP server (or fix the port ngrok forwards to).`,
    };
  }
  const cloudflare =
    /cloudflare/i.test(a.headers.get('server') ?? '') ||
    a.headers.has('cf-ray') ||
    /cloudflare/i.test(a.body);
  if (cloudflare && isHtmlOrText(a)) {
    const code = /error code:?\s*(\d{4})|Error\s+(\d{4})/i.exec(a.body);
    const cfCode = code?.[1] ?? code?.[2];
    // Cloudflare docs: 1033 / 530 = no connected cloudflared for this hostname; 502/504 and
    // 521–524 = the tunnel (or proxy) is up and the origin did not answer.
    const down = cfCode === '1033' || a.status === 530;
    if (down || [502, 503, 504, 521, 522, 523, 524].includes(a.status)) {
      return {
        edge: 'cloudflare',
        state: down ? 'tunnel-down' : 'server-down',
        httpStatus: a.status,
        ...(cfCode ? { code: cfCode } : {}),
        message: down
          ? `Cloudflare answered for ${host} but the tunnel is not connected (HTTP ${a.status}${cfCode ? `, error ${cfCode}` : ''}): start cloudflared for this hostname.`
          : `The Cloudflare tunnel for ${host} is up but the server behind it is not answering (HTTP ${a.status}): start the MCP server (or fix the service URL cloudflared forwards to).`,
      };
    }
  }
  if ([502, 503, 504].includes(a.status) && (isHtmlOrText(a) || a.body.trim() === '')) {
    const tailscale = host.endsWith('.ts.net');
    return {
      edge: tailscale ? 'tailscale' : 'proxy',
      state: 'server-down',
      httpStatus: a.status,
      message: tailscale
        ? `Tailscale Serve answered for ${host} but the server behind it is not (HTTP ${a.status}): start the MCP server on the port \`tailscale serve\` forwards to.`
        : `A proxy or tunnel answered for ${host} but the server behind it did not (HTTP ${a.status} with a web page, not MCP): check that the MCP server is running.`,
    };
  }
  return undefined;
}

async function readSome(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < MAX_BODY) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, MAX_BODY);
}

/** POSTs an `initialize` as a client would and returns what the edge answered (never throws). */
export async function askEdge(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<EdgeAnswer | undefined> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 'switchboard-test-diagnosis',
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'switchboard-test', version: '0' },
        },
      }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    return { status: res.status, headers: res.headers, body: await readSome(res) };
  } catch {
    return undefined;
  }
}

/** `/healthz` next to the MCP endpoint (https://h/mcp → https://h/healthz). */
export function healthzUrl(mcpUrl: string): string {
  return new URL('healthz', mcpUrl).toString();
}

/**
 * Probes `/healthz`; undefined when the server has none (a 4xx) or nothing answered at all, so
 * only a health endpoint that exists is reported.
 */
export async function probeHealthz(
  mcpUrl: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<HealthzProbe | undefined> {
  const url = healthzUrl(mcpUrl);
  try {
    const res = await fetch(url, {
      headers,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    const body = await readSome(res);
    const edge = diagnoseEdgeAnswer(
      { status: res.status, headers: res.headers, body },
      new URL(url).host,
    );
    if (edge) return { url, ok: false, httpStatus: res.status, message: edge.message };
    // A 4xx means there is no health endpoint here (or not for us): nothing to report.
    if (res.status >= 400 && res.status < 500) return undefined;
    return {
      url,
      ok: res.ok,
      httpStatus: res.status,
      message: res.ok ? `${url} answered ${res.status}` : `${url} answered HTTP ${res.status}`,
    };
  } catch {
    return undefined;
  }
}
