import { useState } from 'react';
import type { ProjectView } from '../../../app/contract/projects-contract';
import type { TokenViewDto } from '../../../app/contract/tokens-contract';
import { relativeTime } from '../../../app/shared/humanize';
import { api } from '../api';
import { refresh, useAppStore } from '../store';
import { ConfirmDialog } from './ConfirmDialog';
import { Feedback } from './Feedback';
import { useAction } from './use-action';
import { StatusPill } from './ProjectStatus';
import { ShownOnceDialog } from './ShownOnceDialog';
import { TimeAgo } from './TimeAgo';
import { TokenFormDialog, type TokenFormMode } from './TokenFormDialog';

const STATUS: Record<
  TokenViewDto['status'],
  { level: 'ok' | 'warn' | 'bad' | 'off'; label: string }
> = {
  active: { level: 'ok', label: 'Active' },
  'expiring-soon': { level: 'warn', label: 'Expiring soon' },
  expired: { level: 'bad', label: 'Expired' },
  revoked: { level: 'off', label: 'Revoked' },
};

const KIND: Record<TokenViewDto['kind'], string> = {
  bearer: 'Bearer',
  'oauth-access': 'OAuth access',
  'oauth-refresh': 'OAuth refresh',
  provisioned: 'Provisioned',
  'secret-header': 'Secret header',
  'query-secret': 'Secret query parameter',
  'issuer-key': 'Issuer key',
};

type Pending =
  | { kind: 'form'; mode: TokenFormMode; token?: TokenViewDto }
  | { kind: 'revoke' | 'remove'; token: TokenViewDto }
  | { kind: 'shown'; name: string; fingerprint: string; value: string };

export function TokenPanel({ project }: { project: ProjectView }) {
  const all = useAppStore((s) => s.tokens);
  const tokens = all.filter((t) => t.projectId === project.id);
  const [pending, setPending] = useState<Pending>();
  const { busy, error, run } = useAction();
  const close = () => setPending(undefined);

  const mint = () =>
    run('Minting…', async () => {
      const r = await api().tokens.mint({ project: project.id });
      await refresh(api());
      if (r.mintedValue) {
        setPending({
          kind: 'shown',
          name: r.token.name,
          fingerprint: r.token.fingerprint,
          value: r.mintedValue,
        });
      }
    });

  return (
    <section className="panel" aria-labelledby="tokens-title">
      <div className="panel-head">
        <h3 id="tokens-title">Tokens</h3>
        <div className="actions">
          {project.issuer && (
            <button type="button" onClick={() => void mint()} disabled={!!busy}>
              Mint token
            </button>
          )}
          <button type="button" onClick={() => setPending({ kind: 'form', mode: 'add' })}>
            Add token
          </button>
        </div>
      </div>
      <Feedback busy={busy} error={error} />
      {tokens.length === 0 ? (
        <p className="muted empty-inline">
          {project.auth === 'none'
            ? 'This project needs no token. Add one if the server starts asking for it.'
            : 'No token yet: clients will be refused until you add one.'}
        </p>
      ) : (
        <table className="token-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Fingerprint</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} data-testid={`token-${t.name}`}>
                <td>
                  <span className="token-name">{t.name}</span>
                  <span className="muted small token-sub">
                    {t.kind === 'secret-header'
                      ? `${t.headerName}`
                      : t.kind === 'query-secret'
                        ? `?${t.queryParam ?? ''}`
                        : KIND[t.kind]}{' '}
                    · {t.source}
                  </span>
                </td>
                <td>
                  <StatusPill level={STATUS[t.status].level} label={STATUS[t.status].label} />
                </td>
                <td>
                  <code title="First 12 hex characters of the token's SHA-256">
                    {t.fingerprint}
                  </code>
                </td>
                <td>{t.expiresAt ? <ExpiryCell iso={t.expiresAt} /> : 'never'}</td>
                <td>
                  <TimeAgo iso={t.lastUsedAt} />
                </td>
                <td>
                  <TimeAgo iso={t.createdAt} />
                </td>
                <td className="row-actions">
                  {!t.revokedAt && (
                    <>
                      <button
                        type="button"
                        onClick={() => setPending({ kind: 'form', mode: 'rotate', token: t })}
                      >
                        Rotate
                      </button>
                      <button
                        type="button"
                        onClick={() => setPending({ kind: 'revoke', token: t })}
                      >
                        Revoke
                      </button>
                    </>
                  )}
                  {t.revokedAt && (
                    <button type="button" onClick={() => setPending({ kind: 'remove', token: t })}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {pending?.kind === 'form' && (
        <TokenFormDialog
          project={project}
          mode={pending.mode}
          token={pending.token}
          onClose={close}
          onMinted={(name, fingerprint, value) =>
            setPending({ kind: 'shown', name, fingerprint, value })
          }
        />
      )}
      {(pending?.kind === 'revoke' || pending?.kind === 'remove') && (
        <ConfirmDialog
          title={
            pending.kind === 'revoke'
              ? `Revoke “${pending.token.name}”?`
              : `Remove “${pending.token.name}”?`
          }
          message={
            pending.kind === 'revoke'
              ? `Clients using ${project.displayName} with this token will be refused. ${
                  pending.token.issuer ? 'It is also revoked at the server that issued it. ' : ''
                }The value is deleted from your keychain.`
              : 'The record of this revoked token is removed from the list.'
          }
          confirmLabel={pending.kind === 'revoke' ? 'Revoke token' : 'Remove'}
          onConfirm={async () => {
            const input = { project: project.id, token: pending.token.id };
            if (pending.kind === 'revoke') await api().tokens.revoke(input);
            else await api().tokens.remove(input);
            await refresh(api());
          }}
          onClose={close}
        />
      )}
      {pending?.kind === 'shown' && (
        <ShownOnceDialog
          tokenName={pending.name}
          fingerprint={pending.fingerprint}
          value={pending.value}
          onClose={close}
        />
      )}
    </section>
  );
}

function ExpiryCell({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {Date.parse(iso) > Date.now()
        ? `expires ${relativeTime(iso)}`
        : `expired ${relativeTime(iso)}`}
    </time>
  );
}
