import { useState } from 'react';
import { useFocusLoad } from '../components/use-focus-load';
import { Feedback } from '../components/Feedback';
import type { FindingDto, FixPlanDto } from '../../../app/contract/clients-contract';
import { api } from '../api';
import { refresh } from '../store';
import { StatusPill } from '../components/ProjectStatus';
import { ChangeDialog } from './ChangeDialog';
import './clients.css';

const KIND: Record<FindingDto['kind'], { level: 'bad' | 'warn' | 'off'; label: string }> = {
  'plaintext-secret': { level: 'bad', label: 'Plaintext secret' },
  'missing-executable': { level: 'bad', label: 'Broken entry' },
  'deleted-project': { level: 'warn', label: 'Deleted project' },
  'unreadable-config': { level: 'bad', label: 'Unreadable config' },
  'manageable-remote': { level: 'off', label: 'Could be managed' },
  'plaintext-oauth-tokens': { level: 'bad', label: 'Plaintext OAuth tokens' },
};

const FIX_LABEL: Record<NonNullable<FindingDto['fix']>, string> = {
  'move-to-switchboard': 'Move to Switchboard…',
  reinstall: 'Repair entry…',
  uninstall: 'Remove entry…',
};

const listFindings = () => api().doctor.findings();

/** Doctor: what is wrong in client configs, with one button per finding that can be fixed. */
export function DoctorPanel() {
  const [pending, setPending] = useState<{ finding: FindingDto; plan: FixPlanDto }>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const { data: findings, load } = useFocusLoad(listFindings, setError);

  const preview = async (finding: FindingDto) => {
    setBusy('Preparing the fix…');
    setError(undefined);
    setDone(undefined);
    try {
      setPending({ finding, plan: await api().doctor.preview({ id: finding.id }) });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  const fix = async (finding: FindingDto) => {
    const result = await api().doctor.fix({ id: finding.id });
    setDone(
      result.newProject && result.signIn
        ? `Moved "${finding.entry}" into OAuth project ${result.newProject}; sign in to it (its Sign in button) to finish. ${result.restartNote}`
        : result.newProject
          ? `Moved "${finding.entry}" into project ${result.newProject}; its secret is in the keychain. ${result.restartNote}`
          : `Fixed "${finding.entry}" in ${finding.clientName}. ${result.restartNote}`,
    );
    await Promise.all([load(), refresh(api())]);
  };

  return (
    <section className="panel doctor-panel" aria-labelledby="doctor-title">
      <div className="panel-head">
        <h3 id="doctor-title">Client config check</h3>
        <button type="button" onClick={() => void load()} disabled={!!busy}>
          Check again
        </button>
      </div>
      {!findings && !error && (
        <p role="status" className="muted">
          <span className="spinner" aria-hidden="true" /> Checking client configs…
        </p>
      )}
      {findings?.length === 0 && (
        <p className="muted empty-inline">
          No problems: no plaintext secrets or broken entries in the clients found.
        </p>
      )}
      {findings && findings.length > 0 && (
        <ul className="finding-list" aria-label="Findings">
          {findings.map((f) => (
            <li key={f.id} className="finding" data-testid={`finding-${f.kind}`}>
              <div>
                <StatusPill level={KIND[f.kind].level} label={KIND[f.kind].label} />{' '}
                <strong>{f.clientName}</strong>
                {f.entry && (
                  <>
                    {' · '}
                    <code>{f.entry}</code>
                  </>
                )}
                <p>{f.message}</p>
                <span className="finding-where">
                  {f.path}
                  {f.line ? `:${f.line}:${f.column}` : ''}
                </span>
              </div>
              {f.fix && (
                <button type="button" disabled={!!busy} onClick={() => preview(f)}>
                  {FIX_LABEL[f.fix]}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <Feedback busy={busy} error={error} done={done} />
      {pending && (
        <ChangeDialog
          title={`${FIX_LABEL[pending.finding.fix!].replace('…', '')}: ${pending.finding.entry ?? ''}`}
          plan={pending.plan}
          note={
            pending.plan.newProject && pending.plan.signIn
              ? `Creates OAuth project "${pending.plan.newProject}" from this entry; the entry runs the Switchboard bridge, and the project needs one sign-in.`
              : pending.plan.newProject
                ? `Creates project "${pending.plan.newProject}" from this entry; its secret moves into the keychain and the entry runs the Switchboard bridge.`
                : undefined
          }
          confirmLabel="Apply fix"
          onConfirm={() => fix(pending.finding)}
          onClose={() => setPending(undefined)}
        />
      )}
    </section>
  );
}
