import { api } from '../api';
import { Dialog } from '../components/Dialog';
import { Feedback } from '../components/Feedback';
import { CopyField } from '../components/CopyField';
import { ClientMetadataUrlSetting } from './ClientMetadataUrlSetting';
import { LaunchAtLoginSetting } from './LaunchAtLoginSetting';
import { SecretStoreSetting } from './SecretStoreSetting';
import { useLoaded } from './use-loaded';
import { ConsentsPanel } from '../provisioning';
import './settings.css';

/** Settings: launch at login, where secrets live, the OAuth client metadata URL, the data folder and the version. */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const { value: info, error } = useLoaded(() => api().app.info());
  return (
    <Dialog
      title="Settings"
      wide
      onClose={onClose}
      footer={
        <button type="button" data-autofocus onClick={onClose}>
          Close
        </button>
      }
    >
      <LaunchAtLoginSetting />
      <SecretStoreSetting dataDir={info?.dataDir} />
      <ClientMetadataUrlSetting />
      <ConsentsPanel />
      <section className="settings-section" aria-labelledby="settings-data">
        <h3 id="settings-data">Data folder</h3>
        {info && <CopyField label="Data folder" value={info.dataDir} />}
        <p className="hint">
          Projects, token records, settings and the audit log. Set SWITCHBOARD_HOME to move it.
        </p>
      </section>
      <section className="settings-section" aria-labelledby="settings-about">
        <h3 id="settings-about">About</h3>
        {info && (
          <p data-testid="app-version">
            {info.name} {info.version} <span className="muted">({info.platform})</span>
          </p>
        )}
      </section>
      <Feedback error={error} />
    </Dialog>
  );
}
