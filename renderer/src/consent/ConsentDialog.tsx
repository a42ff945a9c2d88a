import { useId, useState, type ReactNode } from 'react';
import { Dialog } from '../components/Dialog';
import { useConfirm } from '../components/use-confirm';
import './consent.css';

/** One line of what the user is agreeing to: a label, its value, and optional emphasis. */
export interface ConsentFact {
  label: string;
  value: ReactNode;
  /** e.g. "Full scope": shown as a warning badge next to the value (text, not only colour). */
  badge?: string;
}

interface Props {
  title: string;
  /** The plain-language statement of what will happen, shown first. */
  summary: ReactNode;
  facts: ConsentFact[];
  /** What stays the same if they decline, and how to undo it later. */
  footnote?: ReactNode;
  /** When set, the confirm button stays disabled until this box is ticked (deliberate action). */
  acknowledge?: string;
  confirmLabel: string;
  /** Runs the grant; the dialog shows progress and any error, and closes when it resolves. */
  onConfirm: () => Promise<void>;
  onCancel: () => void;
  /** Progress text while onConfirm runs (e.g. "Waiting for the browser…"). */
  busyLabel?: string;
}

/**
 * The one consent dialog for every grant made on the user's behalf (OAuth sign-in and its
 * scopes, full-scope provisioning, …). Cancel is the default and Escape cancels; the grant runs
 * only from an explicit click, after the acknowledgement when one is asked for.
 */
export function ConsentDialog({
  title,
  summary,
  facts,
  footnote,
  acknowledge,
  confirmLabel,
  onConfirm,
  onCancel,
  busyLabel,
}: Props) {
  const { busy, error, confirm } = useConfirm(onConfirm, onCancel);
  const [acknowledged, setAcknowledged] = useState(false);
  const summaryId = useId();
  const ackId = useId();
  const canConfirm = !busy && (acknowledge === undefined || acknowledged);
  return (
    <Dialog
      title={title}
      onClose={onCancel}
      wide
      describedBy={summaryId}
      footer={
        <>
          <button type="button" data-autofocus onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={confirm} disabled={!canConfirm}>
            {busy ? (busyLabel ?? 'Working…') : confirmLabel}
          </button>
        </>
      }
    >
      <div id={summaryId} className="consent-summary">
        {summary}
      </div>
      <dl className="consent-facts">
        {facts.map((fact) => (
          <div key={fact.label} className="consent-fact">
            <dt>{fact.label}</dt>
            <dd>
              {fact.value}
              {fact.badge && (
                <span className="badge badge-warn consent-badge">
                  <span aria-hidden="true">⚠ </span>
                  {fact.badge}
                </span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {footnote && <div className="muted consent-footnote">{footnote}</div>}
      {acknowledge !== undefined && (
        <p className="consent-ack">
          <input
            id={ackId}
            type="checkbox"
            checked={acknowledged}
            disabled={busy}
            onChange={(e) => setAcknowledged(e.target.checked)}
          />{' '}
          <label htmlFor={ackId}>{acknowledge}</label>
        </p>
      )}
      {busy && (
        <p role="status" className="muted">
          <span className="spinner" aria-hidden="true" /> {busyLabel ?? 'Working…'}
        </p>
      )}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </Dialog>
  );
}
