import { useEffect, useRef, useState } from 'react';
import { firstTime, type MainRoute } from '../main-route';
import { ActivityChart } from '../charts/ActivityChart';
import type { ProjectView } from '../../../app/contract/projects-contract';
import type { TestReportDto } from '../../../app/contract/tokens-contract';
import { api } from '../api';
import { refresh, useAppStore } from '../store';
import { ConfirmDialog } from './ConfirmDialog';
import { Feedback } from './Feedback';
import { useAction } from './use-action';
import { ProjectStatus } from './ProjectStatus';
import { TestResult } from './TestResult';
import { TokenPanel } from './TokenPanel';
import { OAuthPanel } from './OAuthPanel';
import { ClientsPanel } from '../clients';
import { ConsentsPanel, EndpointPanel } from '../provisioning';

const AUTH: Record<ProjectView['auth'], string> = {
  none: 'No sign-in',
  bearer: 'Bearer token',
  oauth: 'OAuth',
  provisioned: 'Provisioned endpoint',
};

export function ProjectDetail({ project, route }: { project: ProjectView; route?: MainRoute }) {
  const select = useAppStore((s) => s.select);
  const [report, setReport] = useState<TestReportDto>();
  const { busy, error, run } = useAction();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const tokens = useRef<HTMLDivElement>(null);
  // "Rotate token" from the tray: bring the token panel into view and focus its first control.
  useEffect(() => {
    if (route?.view !== 'tokens' || !tokens.current || !firstTime(route, 'tokens')) return;
    tokens.current.scrollIntoView({ block: 'start' });
    tokens.current.querySelector<HTMLElement>('button, [href], input')?.focus();
  }, [route]);

  return (
    <article className="detail" aria-labelledby="detail-title">
      <header className="detail-head">
        <div>
          <h2 id="detail-title">{project.displayName}</h2>
          <p className="muted detail-url">{project.url}</p>
        </div>
        <ProjectStatus project={project} />
      </header>
      <dl className="facts">
        <dt>Name</dt>
        <dd>
          <code>{project.name}</code>
        </dd>
        <dt>Sign-in</dt>
        <dd>{AUTH[project.auth]}</dd>
        {Object.keys(project.headers).length > 0 && (
          <>
            <dt>Headers</dt>
            <dd>{Object.keys(project.headers).join(', ')}</dd>
          </>
        )}
        {project.secretHeaders.length > 0 && (
          <>
            <dt>Secret headers</dt>
            <dd>{project.secretHeaders.join(', ')}</dd>
          </>
        )}
        {project.issuer && (
          <>
            <dt>Token issuer</dt>
            <dd>{project.issuer.url}</dd>
          </>
        )}
      </dl>
      <div className="actions">
        <button
          type="button"
          className={project.connected ? '' : 'primary'}
          disabled={!!busy}
          onClick={() =>
            run(project.connected ? 'Disconnecting…' : 'Connecting…', async () => {
              await api().projects.setConnected({ ref: project.id, connected: !project.connected });
              await refresh(api());
            })
          }
        >
          {project.connected ? 'Disconnect' : 'Connect'}
        </button>
        <button
          type="button"
          disabled={!!busy}
          onClick={() =>
            run('Testing the connection…', async () => {
              setReport(undefined);
              setReport(await api().connection.test({ project: project.id }));
            })
          }
        >
          Test connection
        </button>
        <button
          type="button"
          className="danger-quiet"
          disabled={!!busy}
          onClick={() => setConfirmRemove(true)}
        >
          Remove project
        </button>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={project.auditFullPayloads === true}
          disabled={!!busy}
          onChange={(e) => {
            const on = e.target.checked;
            void run('Saving…', async () => {
              await api().projects.edit({ ref: project.id, patch: { auditFullPayloads: on } });
              await refresh(api());
            });
          }}
        />{' '}
        Record whole messages in the audit log (still redacted; by default only a 2 KB preview)
      </label>
      {!project.connected && (
        <p className="notice">
          Disconnected: every client using this project is refused until you connect it again.
        </p>
      )}
      <Feedback busy={busy} error={error} />
      {report && <TestResult report={report} />}
      <ActivityChart project={project.id} />
      {project.auth === 'oauth' && <OAuthPanel project={project} />}
      {project.auth === 'provisioned' && <EndpointPanel project={project} />}
      <div ref={tokens}>
        {(project.auth !== 'oauth' || project.secretHeaders.length > 0) && (
          <TokenPanel project={project} />
        )}
      </div>
      <ConsentsPanel projectId={project.id} />
      <ClientsPanel
        projectId={project.id}
        {...(route?.view === 'install' &&
          route.clientId &&
          route.operation && {
            preview: route,
          })}
      />
      {confirmRemove && (
        <ConfirmDialog
          title={`Remove ${project.displayName}?`}
          message="Its tokens are deleted from your keychain. Client configs that use it stop working until you remove them (Doctor finds them)."
          confirmLabel="Remove project"
          onConfirm={async () => {
            await api().projects.remove({ ref: project.id });
            select(undefined);
            await refresh(api());
          }}
          onClose={() => setConfirmRemove(false)}
        />
      )}
    </article>
  );
}
