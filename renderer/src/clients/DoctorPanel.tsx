import { useState } from 'react';
import { useFocusLoad } from '../components/use-focus-load';
import { Feedback } from '../components/Feedback';
import type {
  FindingDto,
  FixPlanDto,
  McpRemoteImportPreviewDto,
} from '../../../app/contract/clients-contract';
import { api } from '../api';
import { refresh } from '../store';
import { StatusPill } from '../components/ProjectStatus';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ChangeDialog } from './ChangeDialog';
import { ImportGrantDialog } from './ImportGrantDialog';
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
  'import-grant': 'Import into keychain…',
  'delete-plaintext': 'Delete plaintext file…',
};

const listFindings = () => api().doctor.findings();

/** Doctor: what is wrong in client configs, with one button per finding that can be fixed. */
export function DoctorPanel() {
  const [pending, setPending] = useState<{ finding: FindingDto; plan: FixPlanDto }>();
  const [importing, setImporting] = useState<{
    finding: FindingDto;
    preview: McpRemoteImportPreviewDto;
  }>();
  /** A verified import's files, offered for deletion in a dialog of their own. */
  const [deleting, setDeleting] = useState<{ finding: FindingDto; files: string[] }>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const { data: findings, load } = useFocusLoad(listFindings, setError);

  const importGrant = async (finding: FindingDto, preview: McpRemoteImportPreviewDto) => {
    // What the dialog showed: the import is refused if the grant differs by now.
    const result = await api().doctor.importGrant({
      id: finding.id,
      expect: {
        issuer: preview.consent.issuer,
        clientId: preview.consent.client.clientId ?? '',
        scopes: preview.consent.scopes.map((s) => s.scope),
        fileSha256: preview.fileSha256,
      },
    });
    setDone(
      `Imported mcp-remote's sign-in into project ${result.project} (keychain) and verified it with a call: ${result.tools} tools${result.refreshed ? '; the expired access token was refreshed' : ''}.${result.accessOnly ? ` ${result.accessOnly}` : ''}`,
    );
    await Promise.all([load(), refresh(api())]);
    setDeleting({ finding, files: preview.files });
  };

  const deletePlaintext = async (finding: FindingDto) => {
    const { deleted } = await api().doctor.deletePlaintext({ id: finding.id });
    setDone(`Deleted ${deleted.join(', ')}.`);
    await load();
  };

  const startImport = async (finding: FindingDto) => {
    setBusy('Checking the server…');
    setError(undefined);
    setDone(undefined);
    try {
      const preview = await api().doctor.importPreview({ id: finding.id });
      if (preview.consent.consent === 'granted') {
        setBusy('Importing and checking with a call to the server…');
        await importGrant(finding, preview);
      } else setImporting({ finding, preview });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  const onFix = (finding: FindingDto) => {
    if (finding.fix === 'import-grant') return startImport(finding);
    if (finding.fix === 'delete-plaintext') {
      setDone(undefined);
      const clientInfo = finding.path.replace(/_tokens\.json$/, '_client_info.json');
      setDeleting({ finding, files: [finding.path, clientInfo] });
      return Promise.resolve();
    }
    return preview(finding);
  };

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
                <button type="button" disabled={!!busy} onClick={() => void onFix(f)}>
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
      {importing && (
        <ImportGrantDialog
          preview={importing.preview}
          onConfirm={() => importGrant(importing.finding, importing.preview)}
          onCancel={() => setImporting(undefined)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete mcp-remote’s plaintext files?"
          message={`The grant is in the keychain now and a call verified it. Deleting removes ${deleting.files.join(' and ')}; mcp-remote itself would have to sign in again. Cancel keeps the files.`}
          confirmLabel="Delete files"
          onConfirm={() => deletePlaintext(deleting.finding)}
          onClose={() => setDeleting(undefined)}
        />
      )}
    </section>
  );
}
