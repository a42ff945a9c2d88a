import { useEffect, useState } from 'react';
import { firstTime, type MainRoute } from '../main-route';
import { useFocusLoad } from '../components/use-focus-load';
import { Feedback } from '../components/Feedback';
import type { ChangePlanDto, ClientStatusDto } from '../../../app/contract/clients-contract';
import { api } from '../api';
import { StatusPill } from '../components/ProjectStatus';
import { ChangeDialog } from './ChangeDialog';
import './clients.css';

type Operation = 'install' | 'uninstall';

interface Pending {
  operation: Operation;
  client: ClientStatusDto;
  plan: ChangePlanDto;
}

function installedHere(client: ClientStatusDto, projectId: string): boolean {
  return client.configs.some((c) => c.installed.some((i) => i.projectId === projectId));
}

const listClients = () => api().clients.list();

/** Which MCP clients run this project, with install/remove behind a diff preview. */
export function ClientsPanel({
  projectId,
  preview: requested,
}: {
  projectId: string;
  /** A preview the tray asked for (`#/project?…&view=install`): opened once clients load. */
  preview?: MainRoute;
}) {
  const [pending, setPending] = useState<Pending>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const { data: clients, load } = useFocusLoad(listClients, setError);

  const preview = async (client: ClientStatusDto, operation: Operation) => {
    setBusy(`Preparing the change for ${client.displayName}…`);
    setError(undefined);
    setDone(undefined);
    try {
      const plan = await api().clients.preview({
        operation,
        client: client.id,
        project: projectId,
      });
      setPending({ operation, client, plan });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  const apply = async ({ operation, client, plan }: Pending) => {
    const input = { client: client.id, project: projectId, expectSha256: plan.beforeSha256 };
    const result =
      operation === 'install'
        ? await api().clients.install(input)
        : await api().clients.uninstall(input);
    setDone(
      `${operation === 'install' ? 'Installed in' : 'Removed from'} ${client.displayName}. ${result.restartNote}` +
        (operation === 'install' && result.needsNote ? ` Also needed: ${result.needsNote}` : ''),
    );
    await load();
  };

  // "Install into ▸" from the tray lands here: the same preview as the button, never a write.
  useEffect(() => {
    if (!requested?.clientId || !requested.operation || !clients) return;
    if (!firstTime(requested, 'install')) return;
    const client = clients.find((c) => c.id === requested.clientId);
    if (!client) {
      setError(`${requested.clientId} is not a client Switchboard knows; nothing was changed.`);
      return;
    }
    void preview(client, requested.operation);
  }, [requested, clients]);

  const detected = clients?.filter((c) => c.detected || installedHere(c, projectId)) ?? [];
  const others = clients?.filter((c) => !detected.includes(c)) ?? [];

  const row = (c: ClientStatusDto) => {
    const installed = installedHere(c, projectId);
    const cfg = c.configs[0];
    const unreadable = Boolean(cfg?.error);
    return (
      <li key={c.id} className="client-row" data-testid={`client-${c.id}`}>
        <strong>{c.displayName}</strong>
        {unreadable ? (
          <StatusPill level="bad" label="Config unreadable" />
        ) : installed ? (
          <StatusPill level="ok" label="Installed" />
        ) : (
          <StatusPill level="off" label={c.detected ? 'Not installed' : 'Not detected'} />
        )}
        <button
          type="button"
          className={installed ? 'danger-quiet' : ''}
          disabled={!!busy || unreadable}
          aria-label={`${installed ? 'Remove from' : 'Install in'} ${c.displayName}`}
          onClick={() => preview(c, installed ? 'uninstall' : 'install')}
        >
          {installed ? 'Remove…' : 'Install…'}
        </button>
        <span className="client-path" title={cfg?.error ?? cfg?.path}>
          {cfg?.error ?? cfg?.path}
        </span>
        {c.needsNote && (
          <span className="client-needs muted" data-testid={`client-needs-${c.id}`}>
            Also needed: {c.needsNote}
          </span>
        )}
      </li>
    );
  };

  return (
    <section className="panel" aria-labelledby="clients-title">
      <div className="panel-head">
        <h3 id="clients-title">Clients</h3>
        <button type="button" onClick={() => void load()} disabled={!!busy}>
          Refresh
        </button>
      </div>
      {!clients && !error && (
        <p role="status" className="muted">
          <span className="spinner" aria-hidden="true" /> Looking for MCP clients…
        </p>
      )}
      {clients && detected.length === 0 && (
        <p className="muted empty-inline">
          No MCP clients found on this computer. Install one (Claude Desktop, Cursor, VS Code…), or
          add this project to one listed below.
        </p>
      )}
      {detected.length > 0 && (
        <ul className="client-list" aria-label="Detected clients">
          {detected.map(row)}
        </ul>
      )}
      {others.length > 0 && (
        <details className="client-more">
          <summary>Other clients ({others.length}, not detected)</summary>
          <ul className="client-list" aria-label="Other clients">
            {others.map(row)}
          </ul>
        </details>
      )}
      <Feedback busy={busy} error={error} done={done} />
      {pending && (
        <ChangeDialog
          title={
            pending.operation === 'install'
              ? `Install in ${pending.client.displayName}?`
              : `Remove from ${pending.client.displayName}?`
          }
          plan={pending.plan}
          confirmLabel={pending.operation === 'install' ? 'Write config' : 'Remove entry'}
          onConfirm={() => apply(pending)}
          onClose={() => setPending(undefined)}
        />
      )}
    </section>
  );
}
