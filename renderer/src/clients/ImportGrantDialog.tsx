import type { McpRemoteImportPreviewDto } from '../../../app/contract/clients-contract';
import { ConsentDialog } from '../consent/ConsentDialog';
import { oauthConsentFacts } from '../consent/OAuthConsentDialog';

/**
 * The consent for importing mcp-remote's grant: the same dialog and facts as a sign-in (issuer,
 * resource, client, scopes, where the tokens go), with what the import does instead of a browser.
 */
export function ImportGrantDialog({
  preview,
  onConfirm,
  onCancel,
}: {
  preview: McpRemoteImportPreviewDto;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}) {
  const p = preview.consent;
  return (
    <ConsentDialog
      title={`Import the mcp-remote sign-in for ${preview.project}?`}
      summary={
        <p>
          mcp-remote signed in to <strong>{p.serverUrl}</strong> at {new URL(p.issuer).host} and
          keeps the grant in a plaintext file. Switchboard will move it into{' '}
          {p.storage === 'keychain' ? 'your OS keychain' : 'its file store'} for project{' '}
          {preview.project} and check it with a call to the server
          {preview.state === 'refreshable'
            ? ' (its access token has expired, so the check refreshes it first)'
            : ''}
          . If the check fails, nothing is kept.
          {preview.accessOnly && <> {preview.accessOnly}</>}
          {p.changed.length > 0 && (
            <> You are asked again because this changed: {p.changed.join(', ')}.</>
          )}
        </p>
      }
      facts={[
        // The client is the one mcp-remote registered: refreshes must use it.
        ...oauthConsentFacts(p).map((f) =>
          f.label === 'Client identity'
            ? { ...f, value: `Registered by mcp-remote: ${p.client.clientId ?? ''}` }
            : f,
        ),
        {
          label: 'Plaintext files',
          value: (
            <ul className="consent-scopes">
              {preview.files.map((f) => (
                <li key={f}>
                  <code>{f}</code>
                </li>
              ))}
            </ul>
          ),
        },
      ]}
      footnote="Cancel keeps everything as it is. The plaintext files stay until you delete them, which Switchboard offers only after the import was verified."
      confirmLabel="Import and verify"
      busyLabel="Importing and checking with a call to the server…"
      onConfirm={onConfirm}
      onCancel={onCancel}
    />
  );
}
