import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { Feedback } from '../components/Feedback';
import { useLoaded } from './use-loaded';

/**
 * The OAuth client metadata document URL: Switchboard's client id at authorization servers that
 * support Client ID Metadata Documents. SWITCHBOARD_OAUTH_CLIENT_METADATA_URL locks it.
 */
export function ClientMetadataUrlSetting() {
  const { value, setValue, error: loadError } = useLoaded(() => api().settings.get());
  const [draft, setDraft] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const current = value?.clientMetadataUrl ?? '';
  const text = draft ?? current;

  const save = async (url: string | null) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const next = await api().settings.setClientMetadataUrl({ url });
      setValue(next);
      setDraft(undefined);
      setDone(next.clientMetadataUrl ? 'Saved; the next sign-in uses it.' : 'Cleared.');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(text.trim() === '' ? null : text.trim());
  };

  return (
    <section className="settings-section" aria-labelledby="settings-client-metadata">
      <h3 id="settings-client-metadata">OAuth client metadata document</h3>
      <p className="hint">
        An https URL where you serve Switchboard&rsquo;s client metadata (README, &ldquo;OAuth
        servers&rdquo;). Authorization servers that support it use the URL as the client id; without
        it, Switchboard registers itself dynamically.
      </p>
      {value &&
        (value.clientMetadataUrlOverride ? (
          <p className="notice" data-testid="client-metadata-url">
            <code>SWITCHBOARD_OAUTH_CLIENT_METADATA_URL</code> is set in Switchboard&rsquo;s
            environment and overrides this setting: <strong>{value.clientMetadataUrl}</strong>.
            Unset it and restart Switchboard to choose here.
          </p>
        ) : (
          <form onSubmit={submit}>
            <label htmlFor="client-metadata-url">Client metadata document URL</label>
            <input
              id="client-metadata-url"
              data-testid="client-metadata-url"
              type="url"
              inputMode="url"
              placeholder="https://example.com/switchboard-client.json"
              value={text}
              onChange={(e) => setDraft(e.target.value)}
            />
            <div className="actions">
              <button type="submit" className="primary" disabled={busy || text === current}>
                Save URL
              </button>
              {current && (
                <button type="button" disabled={busy} onClick={() => void save(null)}>
                  Clear URL
                </button>
              )}
            </div>
          </form>
        ))}
      {done && (
        <p role="status" className="muted">
          {done}
        </p>
      )}
      <Feedback
        busy={busy ? 'Saving…' : !value && !loadError ? 'Loading…' : undefined}
        error={error ?? loadError}
      />
    </section>
  );
}
