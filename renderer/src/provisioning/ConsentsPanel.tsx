import { useState } from 'react';
import type { ConsentViewDto } from '../../../app/contract/consent-contract';
import { Feedback } from '../components/Feedback';
import { TimeAgo } from '../components/TimeAgo';
import { useAppStore } from '../store';
import { WithdrawConsentFlow } from './WithdrawConsentFlow';

const KIND: Record<string, string> = {
  'oauth-grant': 'OAuth sign-in',
  'full-scope-provisioning': 'Full-scope provisioning',
};

/** Every consent Switchboard holds (Settings), or one project's: what, when, from where, withdraw. */
export function ConsentsPanel({ projectId }: { projectId?: string }) {
  const all = useAppStore((s) => s.consents);
  const consents = projectId ? all.filter((c) => c.projectId === projectId) : all;
  const [withdrawing, setWithdrawing] = useState<ConsentViewDto>();
  const [done, setDone] = useState<string>();
  return (
    <section
      // In Settings it reads like the other settings sections; on a project like its panels.
      className={projectId ? 'panel consents-panel' : 'settings-section consents-panel'}
      aria-labelledby={`consents-${projectId ?? 'all'}`}
    >
      <h3 id={`consents-${projectId ?? 'all'}`}>Consents</h3>
      {consents.length === 0 ? (
        <p className="muted">
          No consents{projectId ? ' for this project' : ''}. Switchboard records one when you sign
          in to a server or allow a private endpoint, and you can withdraw it here.
        </p>
      ) : (
        <ul className="consent-list">
          {consents.map((c) => (
            <li key={c.id} className="consent-row">
              <div>
                <strong>{KIND[c.kind] ?? c.kind}</strong>
                {!projectId && <> · {c.projectName}</>}
                <div className="muted">
                  {c.summary} · given <TimeAgo iso={c.grantedAt} /> from the{' '}
                  {c.source === 'cli' ? 'CLI' : 'window'}
                </div>
              </div>
              <button type="button" className="danger-quiet" onClick={() => setWithdrawing(c)}>
                Withdraw
              </button>
            </li>
          ))}
        </ul>
      )}
      <Feedback done={done} />
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
