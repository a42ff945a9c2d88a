import { useState } from 'react';
import { createPortal } from 'react-dom';
import type { SettingsView } from '../../../app/contract/settings-contract';
import { api } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Feedback } from '../components/Feedback';
import { useAppStore } from '../store';
import { useLoaded } from './use-loaded';

type StoreKind = SettingsView['secretStore'];

const NAME: Record<StoreKind, string> = {
  keychain: 'OS keychain',
  file: 'Plain file (insecure)',
};

function secrets(n: number): string {
  return n === 1 ? '1 stored secret' : `${n} stored secrets`;
}

/**
 * Where token values live. Switching moves every secret (copy, save the choice, then delete the
 * old copies) behind a confirmation whose safe choice, Cancel, has focus.
 */
export function SecretStoreSetting({ dataDir }: { dataDir: string | undefined }) {
  const { value, setValue, error } = useLoaded(() => api().settings.get());
  const setBanner = useAppStore((s) => s.setInsecureStoreWarning);
  const stored = useAppStore((s) => s.tokens.filter((t) => !t.revokedAt).length);
  const [confirming, setConfirming] = useState<StoreKind>();
  const [done, setDone] = useState<string>();

  const target: StoreKind | undefined =
    value && (value.secretStore === 'file' ? 'keychain' : 'file');
  const locked = value?.secretStoreOverride !== undefined;

  const switchTo = async (store: StoreKind) => {
    const r = await api().settings.setSecretStore({ store });
    setValue(r.settings);
    setBanner(r.settings.insecureStoreWarning);
    setDone(
      `${r.moved === 1 ? '1 secret' : `${r.moved} secrets`} moved to the ${
        store === 'file' ? 'plain file' : 'OS keychain'
      }.`,
    );
  };

  return (
    <section className="settings-section" aria-labelledby="settings-secrets">
      <h3 id="settings-secrets">Secret storage</h3>
      {value && (
        <>
          <p className="settings-store" data-testid="secret-store">
            Token values are stored in: <strong>{NAME[value.secretStore]}</strong>
          </p>
          {value.insecureStoreWarning && (
            <p className="settings-warn">
              <span aria-hidden="true">▲ </span>
              {value.insecureStoreWarning}
            </p>
          )}
          {locked ? (
            <p className="notice">
              <code>SWITCHBOARD_SECRET_STORE={value.secretStoreOverride}</code> is set in
              Switchboard&rsquo;s environment and overrides this setting. Unset it and restart
              Switchboard to choose here.
            </p>
          ) : (
            target && (
              <div className="actions">
                <button
                  type="button"
                  className={target === 'file' ? 'danger-quiet' : 'primary'}
                  onClick={() => {
                    setDone(undefined);
                    setConfirming(target);
                  }}
                >
                  {target === 'file'
                    ? 'Store secrets in a plain file…'
                    : 'Move secrets to the OS keychain…'}
                </button>
              </div>
            )
          )}
          {done && (
            <p role="status" className="muted">
              {done}
            </p>
          )}
        </>
      )}
      <Feedback busy={!value && !error ? 'Loading…' : undefined} error={error} />
      {/* Outside the Settings dialog in the DOM, so its Escape and Tab stay its own. */}
      {confirming &&
        createPortal(
          <ConfirmDialog
            title={
              confirming === 'file'
                ? 'Store secrets in a plain file?'
                : 'Move secrets to the OS keychain?'
            }
            message={
              confirming === 'file'
                ? `Your ${secrets(stored)} will leave the OS keychain and be written, unencrypted, to a file in ${
                    dataDir ?? 'the data folder'
                  }. Anyone who can read your home folder can read them. Use this only where no keychain works, such as a headless machine.`
                : `Your ${secrets(stored)} will move into the OS keychain, and the plain file will be deleted.`
            }
            confirmLabel={confirming === 'file' ? 'Use the plain file' : 'Move to keychain'}
            onConfirm={() => switchTo(confirming)}
            onClose={() => setConfirming(undefined)}
          />,
          document.body,
        )}
    </section>
  );
}
