// The per-call floor for a stdio ↔ Streamable HTTP bridge (2025 era): the least such a forwarder
// can do — each stdin line POSTed as it is on one keep-alive connection, the session id kept,
// each answer (JSON or SSE `data:` lines) written back. No audit, kill switch, credentials,
// recovery, limits or redaction. The era benchmark reports its p50 next to the bridge's, so what
// the bridge's own code costs per call is a measured ratio, not a guess.
import http from 'node:http';

const url = new URL(process.argv[2] ?? '');
const agent = new http.Agent({ keepAlive: true });
let session: string | undefined;
let protocolVersion: string | undefined;
let pending = '';

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  pending += chunk;
  let nl = pending.indexOf('\n');
  while (nl !== -1) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    if (line.trim() !== '') post(line);
    nl = pending.indexOf('\n');
  }
});
process.stdin.on('end', () => process.exit(0));

function post(line: string): void {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'content-length': String(Buffer.byteLength(line)),
  };
  if (session) headers['mcp-session-id'] = session;
  if (protocolVersion) headers['mcp-protocol-version'] = protocolVersion;
  const req = http.request(url, { method: 'POST', headers, agent }, (res) => {
    const sid = res.headers['mcp-session-id'];
    if (typeof sid === 'string' && (res.statusCode ?? 0) < 300) session = sid;
    const sse = (res.headers['content-type'] ?? '').startsWith('text/event-stream');
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => {
      body += c;
      if (!sse) return;
      // Each complete event goes out as soon as it is in, as a bridge must.
      let end = body.indexOf('\n\n');
      while (end !== -1) {
        for (const l of body.slice(0, end).split('\n')) {
          if (l.startsWith('data: ')) answer(l.slice(6));
        }
        body = body.slice(end + 2);
        end = body.indexOf('\n\n');
      }
    });
    res.on('end', () => {
      if (!sse && body.trim() !== '') answer(body.trim());
    });
  });
  req.on('error', (e) => process.stderr.write(`forwarder-floor: ${e.message}\n`));
  req.end(line);
}

function answer(text: string): void {
  // The negotiated version goes on every later request, as the 2025 transport requires.
  if (!protocolVersion && text.includes('"protocolVersion"')) {
    protocolVersion = (JSON.parse(text) as { result?: { protocolVersion?: string } }).result
      ?.protocolVersion;
  }
  process.stdout.write(text + '\n');
}
