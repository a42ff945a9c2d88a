import { useEffect, useState } from 'react';
import type { AuditRowView } from '../../../app/contract/audit-contract';
import { api } from '../api';
import { useAuditStore } from './audit-store';
import { DIRECTION_LABEL, isError, prettyPreview, summary } from './format';

interface Pair {
  request?: AuditRowView;
  response?: AuditRowView;
}

/** The selected event with its other half: request and response side by side. */
export function DetailPane() {
  const ref = useAuditStore((s) => s.selectedRef);
  const [pair, setPair] = useState<Pair | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    setPair(undefined);
    setError(undefined);
    if (!ref) return;
    let live = true;
    api()
      .audit.pair({ ref })
      .then((p) => live && setPair(p))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [ref]);

  if (!ref) {
    return (
      <section className="audit-detail empty" aria-label="Event detail">
        <p className="muted">Select an event to see the request and its response.</p>
      </section>
    );
  }
  if (error) {
    return (
      <section className="audit-detail" aria-label="Event detail">
        <div role="alert" className="error-box">
          {error}
        </div>
      </section>
    );
  }
  if (!pair) {
    return (
      <section className="audit-detail" aria-label="Event detail" aria-busy="true">
        <p className="muted">Loading…</p>
      </section>
    );
  }
  const main = pair.request ?? pair.response!;
  const lifecycle = main.kind !== 'request' && main.kind !== 'response' && main.kind !== 'error';
  return (
    <section className="audit-detail" aria-label="Event detail" data-testid="audit-detail">
      <header className="audit-detail-head">
        <h2>{summary(main)}</h2>
        <dl className="audit-meta">
          <Meta label="Time" value={new Date(main.ts).toLocaleString()} />
          <Meta label="Project" value={main.projectName ?? main.projectId} />
          <Meta
            label="Client"
            value={main.client ? `${main.client.name} ${main.client.version ?? ''}` : undefined}
          />
          <Meta label="Session" value={main.sessionId} />
          <Meta label="JSON-RPC id" value={main.id} />
          <Meta
            label="Duration"
            value={
              pair.response?.durationMs !== undefined
                ? `${Math.round(pair.response.durationMs)} ms`
                : undefined
            }
          />
          <Meta
            label="Status"
            value={
              pair.response
                ? isError(pair.response)
                  ? `error ${pair.response.errorCode ?? ''} ${pair.response.errorMessage ?? ''}`
                  : (pair.response.status ?? pair.response.kind)
                : undefined
            }
          />
          <Meta label="Token" value={main.tokenFingerprint} />
        </dl>
      </header>
      {lifecycle ? (
        <Payload title={DIRECTION_LABEL[main.direction]} row={main} lifecycle />
      ) : (
        <div className="audit-pair">
          <Payload title="Request" row={pair.request} />
          <Payload title="Response" row={pair.response} />
        </div>
      )}
    </section>
  );
}

function Meta({ label, value }: { label: string; value: string | undefined }) {
  if (!value?.trim()) return null;
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Payload({
  title,
  row,
  lifecycle,
}: {
  title: string;
  row: AuditRowView | undefined;
  lifecycle?: boolean;
}) {
  const text = row
    ? lifecycle && !row.preview
      ? JSON.stringify(row.detail ?? {}, null, 2)
      : prettyPreview(row.preview)
    : '';
  return (
    <figure className="audit-payload" aria-label={title}>
      <figcaption>
        {title}
        {row?.bytes !== undefined && <span className="muted"> · {row.bytes} bytes</span>}
        {row?.truncated && <span className="badge badge-warn">truncated</span>}
      </figcaption>
      {row ? (
        <pre tabIndex={0}>
          <code>{text || '(no payload recorded)'}</code>
        </pre>
      ) : (
        <p className="muted">No {title.toLowerCase()} recorded (yet).</p>
      )}
    </figure>
  );
}
