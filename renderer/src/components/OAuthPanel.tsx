import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  OAuthConsentPreviewDto,
  OAuthGrantViewDto,
  SignInProgressDto,
} from '../../../app/contract/oauth-contract';
import type { ProjectView } from '../../../app/contract/projects-contract';
import { relativeTime } from '../../../app/shared/humanize';
import { api } from '../api';
import { OAuthConsentDialog } from '../consent/OAuthConsentDialog';
import { ConfirmDialog } from './ConfirmDialog';
import { Feedback } from './Feedback';
import { StatusPill } from './ProjectStatus';
import { TimeAgo } from './TimeAgo';
import { useAction } from './use-action';

const STAGE: Record<SignInProgressDto['stage'], string> = {
  discovering: 'Finding the authorization server…',
  'waiting-for-browser': 'Waiting for you to finish in the browser…',
  exchanging: 'Getting tokens…',
  done: 'Signed in.',
  failed: 'Sign-in failed.',
  cancelled: 'Sign-in cancelled.',
};

function grantStatus(g: OAuthGrantViewDto | null): {
  level: 'ok' | 'warn' | 'bad' | 'off';
  label: string;
} {
  if (!g) return { level: 'off', label: 'Not signed in' };
  if (g.status === 'sign-in-needed') return { level: 'bad', label: 'Sign-in needed' };
  if (g.status === 'permission-needed') {
    return { level: 'warn', label: `Permission needed: ${(g.neededScopes ?? []).join(' ')}` };
  }
  return { level: 'ok', label: g.status === 'refreshing' ? 'Refreshing' : 'Signed in' };
}

/** The OAuth grant of a project: what was granted, when it expires, Sign in (again), Sign out. */
export function OAuthPanel({ project }: { project: ProjectView }) {
  const [grant, setGrant] = useState<OAuthGrantViewDto | null>();
  const [preview, setPreview] = useState<OAuthConsentPreviewDto>();
  const [progress, setProgress] = useState<SignInProgressDto>();
  const [confirmSignOut, setConfirmSignOut] = useState(false);
  const { busy, error, run, setError } = useAction();

  // Events can start reads faster than they finish: only the newest read may set the grant, so
  // an older answer (an import's grant while it was still pending) never replaces a newer one.
  const reads = useRef(0);
  const load = useCallback(async () => {
    const read = ++reads.current;
    const next = await api().oauth.grant({ project: project.id });
    if (read === reads.current) setGrant(next);
  }, [project.id]);
  // Bridges and the CLI change the grant behind the window's back: re-read on focus too.
  useEffect(() => {
    const reload = () => void load().catch((e: Error) => setError(e.message));
    reload();
    window.addEventListener('focus', reload);
    return () => window.removeEventListener('focus', reload);
  }, [load, setError]);
  // …and when a sign-in status changes elsewhere (a bridge's refresh, doctor's import).
  useEffect(
    () => api().events.oauthStatusesChanged(() => void load().catch(() => undefined)),
    [load],
  );
  useEffect(
    () =>
      api().events.oauthProgress((p) => {
        if (p.project !== project.name) return;
        setProgress(p);
        if (p.stage === 'failed' && p.message) setError(p.message);
        if (p.stage === 'done' || p.stage === 'failed' || p.stage === 'cancelled') {
          void load().catch(() => undefined);
        }
      }),
    [project.name, load, setError],
  );

  const start = async () => {
    setProgress(undefined);
    const { signInId } = await api().oauth.signIn({ project: project.id, consented: true });
    setProgress({ signInId, project: project.name, stage: 'discovering' });
  };
  const signIn = () =>
    run('Checking the server…', async () => {
      const p = await api().oauth.preview({ project: project.id });
      if (p.consent === 'granted') await start();
      else setPreview(p);
    });

  const running =
    progress && !['done', 'failed', 'cancelled'].includes(progress.stage) ? progress : undefined;
  const status = grantStatus(grant ?? null);
  return (
    <section className="panel" aria-labelledby="oauth-title" data-testid="oauth-panel">
      <div className="panel-head">
        <h3 id="oauth-title">OAuth sign-in</h3>
        <div className="actions">
          <button
            type="button"
            className={grant && grant.status === 'signed-in' ? '' : 'primary'}
            onClick={() => void signIn()}
            disabled={!!busy || !!running}
          >
            {grant ? 'Sign in again' : 'Sign in'}
          </button>
          {grant && (
            <button type="button" onClick={() => setConfirmSignOut(true)} disabled={!!busy}>
              Sign out
            </button>
          )}
        </div>
      </div>
      <p>
        <StatusPill level={status.level} label={status.label} />
      </p>
      {running && (
        <p role="status" className="notice">
          {STAGE[running.stage]}{' '}
          <button
            type="button"
            onClick={() => void api().oauth.cancel({ signInId: running.signInId })}
          >
            Cancel sign-in
          </button>
        </p>
      )}
      {progress?.stage === 'done' && <p role="status">{STAGE.done}</p>}
      <Feedback busy={busy} error={error} />
      {grant === null && !running && (
        <p className="muted empty-inline">
          Not signed in yet: clients using this project are refused until you sign in.
        </p>
      )}
      {grant && (
        <dl className="facts" data-testid="oauth-grant">
          <dt>Authorization server</dt>
          <dd>{grant.issuer}</dd>
          <dt>Scopes</dt>
          <dd>{grant.scopes.length ? grant.scopes.join(' ') : '—'}</dd>
          <dt>Access token</dt>
          <dd>
            {grant.accessExpiresAt ? (
              <span title={new Date(grant.accessExpiresAt).toLocaleString()}>
                {Date.parse(grant.accessExpiresAt) > Date.now() ? 'expires ' : 'expired '}
                {relativeTime(grant.accessExpiresAt)}
              </span>
            ) : (
              'no expiry given'
            )}
          </dd>
          <dt>Refresh</dt>
          <dd>
            {grant.status === 'sign-in-needed'
              ? 'Stopped: the server refused the sign-in — sign in again'
              : grant.refreshPresent
                ? 'Refreshes automatically'
                : `No refresh token: sign in again${grant.accessExpiresAt ? ` on ${new Date(grant.accessExpiresAt).toLocaleString()}` : ' when it expires'}`}
          </dd>
          <dt>Last refresh</dt>
          <dd>
            <TimeAgo iso={grant.lastRefreshAt} never="not yet" />
          </dd>
          <dt>Last used</dt>
          <dd>
            <TimeAgo iso={grant.lastUsedAt} never="not yet" />
          </dd>
          <dt>Client</dt>
          <dd>
            <code>{grant.clientId}</code>
          </dd>
        </dl>
      )}
      {preview && (
        <OAuthConsentDialog
          preview={preview}
          onCancel={() => setPreview(undefined)}
          onConfirm={async () => {
            await start();
            setPreview(undefined);
          }}
        />
      )}
      {confirmSignOut && (
        <ConfirmDialog
          title={`Sign out of ${project.displayName}?`}
          message={`The tokens are revoked at ${grant ? new URL(grant.issuer).host : 'the server'} where it offers revocation and deleted from your keychain. Clients using this project are refused until you sign in again.`}
          confirmLabel="Sign out"
          onClose={() => setConfirmSignOut(false)}
          onConfirm={async () => {
            await api().oauth.signOut({ project: project.id });
            setProgress(undefined);
            await load();
          }}
        />
      )}
    </section>
  );
}
