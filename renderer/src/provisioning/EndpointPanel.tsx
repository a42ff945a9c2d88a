import { useEffect, useState } from 'react';
import type { ConsentViewDto } from '../../../app/contract/consent-contract';
import type { ProjectView } from '../../../app/contract/projects-contract';
import type { ProvisioningConsentRequestDto } from '../../../app/contract/provisioning-contract';
import { api } from '../api';
import { Feedback } from '../components/Feedback';
import { StatusPill } from '../components/ProjectStatus';
import { useAction } from '../components/use-action';
import { refreshProvisioning, useAppStore } from '../store';
import { endpointLabel } from './endpoint-label';
import { ProvisionConsentDialog } from './ProvisionConsentDialog';
import { WithdrawConsentFlow } from './WithdrawConsentFlow';

/**
 * A provisioned project's endpoint: which one and why, "Use a private endpoint…" (consent →
 * progress → result), "Re-provision" and "Withdraw consent".
 */
export function EndpointPanel({ project }: { project: ProjectView }) {
  const endpoint = useAppStore((s) => s.endpoints[project.id]);
  const progress = useAppStore((s) => s.provisioningProgress[project.id]);
  const setProgress = useAppStore((s) => s.setProvisioningProgress);
  const setEndpoint = useAppStore((s) => s.setEndpoint);
  // The key (and so the consent that applies) can change under the panel: reload with it.
  const keys = useAppStore((s) =>
    s.tokens
      .filter((t) => t.projectId === project.id)
      .map((t) => `${t.id}:${t.fingerprint}:${t.status}`)
      .join(','),
  );
  const consent = useAppStore((s) =>
    s.consents.find((c) => c.projectId === project.id && c.kind === 'full-scope-provisioning'),
  );
  const { busy, error, run, setError } = useAction();
  const [request, setRequest] = useState<ProvisioningConsentRequestDto>();
  // Kept here: the consent leaves the store as soon as it is withdrawn, the flow goes on.
  const [withdrawing, setWithdrawing] = useState<ConsentViewDto>();
  const [done, setDone] = useState<string>();

  useEffect(() => {
    api()
      .provisioning.status({ ref: project.id })
      .then(setEndpoint)
      .catch((e: Error) => setError(e.message));
  }, [project.id, project.updatedAt, keys]);

  const provision = (opts: { consent: boolean; reset?: boolean }) => {
    setDone(undefined);
    setProgress(project.id, undefined);
    void run('Starting…', async () => {
      try {
        const result = await api().provisioning.provision({ ref: project.id, ...opts });
        setEndpoint(result);
        if (result.kind === 'per-tenant') setDone(`Private endpoint ready: ${result.url}`);
        else
          setError(
            `Still on the shared endpoint — ${endpointLabel(result).label.replace(/^Shared — /, '')}. It keeps working; try Re-provision later.`,
          );
      } finally {
        setProgress(project.id, undefined);
        await refreshProvisioning(api());
      }
    });
  };

  const label = endpoint ? endpointLabel(endpoint) : undefined;
  const hasConsent = consent !== undefined && consent.keyFingerprint === endpoint?.keyFingerprint;
  return (
    <section className="panel endpoint-panel" aria-labelledby={`endpoint-${project.id}`}>
      <h3 id={`endpoint-${project.id}`}>Endpoint</h3>
      {label && endpoint ? (
        <p data-testid="endpoint-state">
          <StatusPill level={label.level} label={label.label} />{' '}
          <code className="muted">{endpoint.url}</code>
        </p>
      ) : (
        <p className="muted">Reading the endpoint…</p>
      )}
      <p className="hint">
        Without a private endpoint, clients use the shared one with your API key. A private endpoint
        runs in your {project.provisioning?.vendor ?? 'vendor'} account and needs your consent
        first.
      </p>
      <div className="actions">
        {!hasConsent && endpoint?.kind !== 'override' && (
          <button
            type="button"
            className="primary"
            disabled={!!busy}
            onClick={() =>
              void run('Reading what the consent covers…', async () => {
                setRequest(await api().provisioning.consentRequest({ ref: project.id }));
              })
            }
          >
            Use a private endpoint…
          </button>
        )}
        {hasConsent && (
          <button
            type="button"
            disabled={!!busy}
            onClick={() => provision({ consent: false, reset: true })}
          >
            Re-provision
          </button>
        )}
        {busy && progress && (
          <button type="button" onClick={() => void api().provisioning.cancel({ ref: project.id })}>
            Cancel provisioning
          </button>
        )}
        {hasConsent && (
          <button
            type="button"
            className="danger-quiet"
            disabled={!!busy}
            onClick={() => setWithdrawing(consent)}
          >
            Withdraw consent
          </button>
        )}
      </div>
      {/* A late progress event must not outlive the call it belongs to. */}
      <Feedback busy={busy ? (progress?.message ?? busy) : undefined} error={error} done={done} />
      {request && (
        <ProvisionConsentDialog
          request={request}
          onCancel={() => setRequest(undefined)}
          onConfirm={async () => {
            // The dialog closes; progress and the result show here, with a cancel button.
            provision({ consent: true });
          }}
        />
      )}
      {withdrawing && (
        <WithdrawConsentFlow
          consent={withdrawing}
          onDone={(message) => {
            setWithdrawing(undefined);
            setDone(message);
          }}
        />
      )}
    </section>
  );
}
