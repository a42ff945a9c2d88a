import type { OAuthConsentPreviewDto } from '../../../app/contract/oauth-contract';
import { ConsentDialog, type ConsentFact } from './ConsentDialog';

const CLIENT: Record<OAuthConsentPreviewDto['client']['kind'], string> = {
  'pre-registered': 'Pre-registered client',
  'metadata-document': 'Client metadata document',
  dynamic: 'Registers itself dynamically',
};

const SOURCE: Record<OAuthConsentPreviewDto['scopes'][number]['source'], string> = {
  challenge: 'asked for by the server',
  scopes_supported: 'advertised by the server',
  user: 'chosen by you',
  granted: 'already granted',
};

/** The facts of an OAuth sign-in, in the order a careful person checks them. */
export function oauthConsentFacts(p: OAuthConsentPreviewDto): ConsentFact[] {
  const requested = new Set(p.scopes.map((s) => s.scope));
  const notRequested = p.scopesSupported.filter((s) => !requested.has(s));
  return [
    { label: 'Server', value: p.serverUrl },
    { label: 'Resource', value: p.resource },
    { label: 'Authorization server', value: p.issuer },
    {
      label: 'Client identity',
      value: p.client.clientId
        ? `${CLIENT[p.client.kind]}: ${p.client.clientId}`
        : CLIENT[p.client.kind],
    },
    {
      label: 'Scopes',
      value:
        p.scopes.length === 0 ? (
          'None requested: the server decides'
        ) : (
          <ul className="consent-scopes">
            {p.scopes.map((s) => (
              <li key={s.scope}>
                <code>{s.scope}</code> <span className="muted">({SOURCE[s.source]})</span>
              </li>
            ))}
            {notRequested.length > 0 && (
              <li className="muted">Not requested: {notRequested.join(', ')}</li>
            )}
          </ul>
        ),
      ...(p.fullScope ? { badge: `Full scope — ${p.fullScopeReason ?? ''}` } : {}),
    },
    {
      label: 'Shared with',
      value: p.sharedWith.length
        ? `Every client with this project installed: ${p.sharedWith.join(', ')}`
        : 'No client has this project installed yet',
    },
    {
      label: 'Tokens kept',
      value:
        p.storage === 'keychain' ? 'In your OS keychain' : 'In the insecure file store (Settings)',
    },
  ];
}

export function OAuthConsentDialog({
  preview,
  onConfirm,
  onCancel,
}: {
  preview: OAuthConsentPreviewDto;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}) {
  return (
    <ConsentDialog
      title={`Sign in to ${preview.project}?`}
      summary={
        <p>
          Switchboard will open your browser at {new URL(preview.issuer).host} so you can grant it
          access to <strong>{preview.serverUrl}</strong>. Nothing is registered or opened until you
          continue.
          {preview.changed.length > 0 && (
            <> You are asked again because this changed: {preview.changed.join(', ')}.</>
          )}
        </p>
      }
      facts={oauthConsentFacts(preview)}
      footnote="Cancel keeps everything as it is. You can sign out or withdraw this consent at any time; that revokes the tokens at the server where it offers revocation."
      confirmLabel="Open browser and sign in"
      busyLabel="Opening the browser…"
      onConfirm={onConfirm}
      onCancel={onCancel}
    />
  );
}
