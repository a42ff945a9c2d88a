import { openAuditSegment } from '../audit/segment-writer.js';
import type { Project } from '../projects/project.js';
import { ProjectsReader } from '../projects/projects-file.js';
import { holdFsWatch } from '../store/watch-file.js';
import { correlationHex } from '../shared/correlation-id.js';
import { redactSecrets } from '../shared/redact.js';
import { createCredentialProvider } from '../tokens/credential-provider.js';
import type { CredentialProvider } from '../tokens/credentials.js';
import { createAuditTap } from './audit-tap.js';
import { EraCache } from './era/era-cache.js';
import { EraState, EraUpstream } from './era/era-upstream.js';
import { BridgeCore } from './bridge-core.js';
import { maxMessageBytes } from './message-size.js';
import { watchProvisioningInputs } from '../provisioning/bridge-endpoint.js';
import { EndpointSwitch } from './endpoint-switch.js';
import { loadUpstreamTransport, upstreamTransportKind } from './http-upstream.js';
import { warmUpHttp } from './node-http-client.js';
import { StdioLineTransport } from './stdio-line-transport.js';

export interface RunBridgeOptions {
  dataDir: string;
  project: Project;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  /** Diagnostics; the bridge redacts before calling it. */
  stderr?: (text: string) => void;
  credentials?: CredentialProvider;
  env?: NodeJS.ProcessEnv;
  /** Start-up work that can wait until the first answer is out (the loader's V8 settings). */
  afterFirstAnswer?: () => void;
}

/** Whole shutdown (DELETE, audit flush) must fit the 1 s a client gives us. */
const SHUTDOWN_BUDGET_MS = 900;

export function disconnectedMessage(project: Pick<Project, 'name'>): string {
  return `Switchboard (${project.name}): project disconnected in Switchboard — reconnect it in the app or run \`switchboard connect ${project.name}\`.`;
}

/**
 * Runs one bridge session for `project` on stdin/stdout until the client closes stdin or the
 * process gets SIGTERM/SIGINT. Resolves with the exit code (0 after a clean shutdown).
 */
export async function runBridge(opts: RunBridgeOptions): Promise<number> {
  // The session's file watchers poll until its first answer is out, then add fs.watch (its first
  // use costs ~2 ms of start-up; the kill switch's 1 s holds with the 250 ms poll alone). A
  // session that ends first, or fails to start, ends the hold too.
  const releaseFsWatch = holdFsWatch();
  try {
    return await serveBridge(opts, releaseFsWatch);
  } finally {
    releaseFsWatch();
  }
}

async function serveBridge(opts: RunBridgeOptions, releaseFsWatch: () => void): Promise<number> {
  const { project, dataDir } = opts;
  const env = opts.env ?? process.env;
  const sessionId = `brs_${correlationHex(8)}`;
  const credentials = opts.credentials ?? createCredentialProvider({ dataDir, project, env });
  let secrets: string[] = [];
  const writeErr = opts.stderr ?? ((t: string) => process.stderr.write(t));
  const debug = env.SWITCHBOARD_BRIDGE_DEBUG === '1';
  const log = (line: string) =>
    writeErr(`switchboard bridge [${project.name}]: ${redactSecrets(line, secrets)}\n`);

  const sink = openAuditSegment({
    dataDir,
    projectId: project.id,
    projectName: project.name,
    sessionId,
    secretHeaders: project.secretHeaders,
    fullPayloads: project.auditFullPayloads === true,
    onError: (e) => log(`audit: ${e.message}`),
  });
  const audit = createAuditTap({
    sink,
    projectId: project.id,
    projectName: project.name,
    sessionId,
    fingerprint: () => core.fingerprint,
  });

  // Learn the secret values early so logs and audit can redact them verbatim.
  const trackedCredentials: CredentialProvider = {
    // A `then`, not an async wrapper: this runs for every request.
    current: () =>
      credentials.current().then((state) => {
        if (state.ok) {
          for (const v of state.secretValues) {
            if (!secrets.includes(v)) {
              secrets = [...secrets, v];
              sink.addSecret(v);
            }
          }
        }
        return state;
      }),
    markUsed: () => credentials.markUsed(),
    ...(credentials.rejected ? { rejected: credentials.rejected.bind(credentials) } : {}),
    close: () => credentials.close(),
  };

  const transport = upstreamTransportKind(env);
  const eraCache = new EraCache(dataDir, log);
  const eras = new Map<string, EraState>();
  const eraOf = (url: string): EraState => {
    let state = eras.get(url);
    if (!state) {
      state = new EraState(new URL(url), eraCache);
      eras.set(url, state);
    }
    return state;
  };
  await loadUpstreamTransport(transport);
  const maxBytes = maxMessageBytes(env);
  const local = new StdioLineTransport(
    opts.stdin ?? process.stdin,
    opts.stdout ?? process.stdout,
    maxBytes,
  );
  // An initialize answered from the era cache needs no HTTP: load it once that answer is out,
  // while the client reads it and sends its next request; then whatever else the loader deferred.
  local.onfirstsend = () =>
    setImmediate(() => {
      warmUpHttp(endpoint.url);
      releaseFsWatch();
      opts.afterFirstAnswer?.();
    });
  // The endpoint can move (CredentialState.url: a per-tenant endpoint appears or is withdrawn);
  // the switch opens a new upstream session on the new URL.
  const endpoint = new EndpointSwitch(project.url, trackedCredentials, (url) =>
    log(`the project's endpoint moved; opening a session on ${redactUrl(url)}`),
  );
  if (project.auth === 'provisioned') await endpoint.init();
  // The starting endpoint's era is read now; one the project moves to is read on first use.
  await eraOf(endpoint.url).read();
  const core = new BridgeCore({
    local,
    project: { id: project.id, name: project.name },
    // The era layer sits between the core and HTTP: one detection per server (per endpoint
    // URL), shared by every upstream this bridge opens there (re-initialize included).
    connect: () => {
      const upstream = endpoint.connect({
        headers: project.headers,
        transport,
        maxMessageBytes: maxBytes,
      });
      return new EraUpstream(upstream, eraOf(endpoint.url), { project: project.name, log });
    },
    log: (line) => {
      if (debug || !line.startsWith('dropped')) log(line);
    },
    observe: audit,
    secrets: () => secrets,
  });

  // The kill switch: projects.json is watched; a disconnect refuses everything within 1 s.
  const projects = new ProjectsReader(dataDir);
  const applyProject = (p: Project | undefined) => {
    if (!p) {
      core.setDisconnected(
        `Switchboard (${project.name}): the project was removed from Switchboard — add it again or remove this server from the client's config.`,
      );
    } else {
      core.setDisconnected(p.connected ? undefined : disconnectedMessage(project));
    }
  };
  applyProject(project);
  const watcher = projects.watch(() => {
    projects
      .find(project.id)
      .then(applyProject, (e: Error) =>
        log(`cannot read projects.json (${e.message}); keeping the last known state`),
      );
  });

  const endpointWatchers =
    project.auth === 'provisioned'
      ? watchProvisioningInputs(dataDir, () => {
          // After the credential provider dropped its cache for the same change.
          setTimeout(() => {
            endpoint.check().catch((e: Error) => log(`endpoint check failed: ${e.message}`));
          }, 60).unref();
        })
      : [];

  let finished: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finished = resolve));
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    if (debug) log(`stopping (${why})`);
    const hard = setTimeout(() => finished(0), SHUTDOWN_BUDGET_MS);
    hard.unref();
    void (async () => {
      watcher.close();
      endpointWatchers.forEach((w) => w.close());
      await core.shutdown(400);
      audit.drain();
      const era = eraOf(endpoint.url);
      audit.lifecycle('session-end', {
        reason: why,
        era: era.era ?? 'unknown',
        ...(era.source ? { eraSource: era.source } : {}),
      });
      await Promise.race([sink.close().catch(() => undefined), delay(300)]);
      credentials.close();
      clearTimeout(hard);
      finished(0);
    })();
  };
  core.onclientclose = () => stop('stdin closed');
  const onSignal = (signal: NodeJS.Signals) => stop(signal);
  // `on`, not `once`: the file-lock library (signal-exit) re-raises a signal when it finds itself
  // the only listener, which a `once` listener no longer is while it runs — the bridge would
  // then die mid-shutdown (no DELETE, audit not flushed). stop() runs once either way.
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  audit.lifecycle('session-start', {
    pid: process.pid,
    url: redactUrl(endpoint.url),
    era: eraOf(endpoint.url).era ?? 'unknown',
  });
  await core.start();
  const code = await done;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  return code;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
