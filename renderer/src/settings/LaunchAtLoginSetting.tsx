import { useState } from 'react';
import { api } from '../api';
import { Feedback } from '../components/Feedback';
import { useAction } from '../components/use-action';
import { useLoaded } from './use-loaded';

/** On/off for starting Switchboard (in the tray, no window) when the user logs in. */
export function LaunchAtLoginSetting() {
  const { value, setValue, error: loadError } = useLoaded(() => api().settings.getLaunchAtLogin());
  const { busy, error, run } = useAction();
  const available = value?.available === true;

  // Not disabled while saving: a disabled control would drop keyboard focus out of the dialog.
  // Shows the requested state while it is saved; a failure puts the real one back.
  const [requested, setRequested] = useState<boolean>();
  const toggle = async (enabled: boolean) => {
    if (busy) return;
    setRequested(enabled);
    const label = enabled ? 'Turning on launch at login…' : 'Turning off launch at login…';
    await run(label, async () => {
      setValue(await api().settings.setLaunchAtLogin({ enabled }));
    });
    setRequested(undefined);
  };

  return (
    <section className="settings-section" aria-labelledby="settings-startup">
      <h3 id="settings-startup">Startup</h3>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={requested ?? value?.enabled ?? false}
          disabled={!available}
          aria-busy={!!busy}
          aria-describedby="settings-login-hint"
          onChange={(e) => void toggle(e.target.checked)}
        />
        Launch at login
      </label>
      <p id="settings-login-hint" className="hint">
        {value && !available
          ? 'Only the Switchboard desktop app can change this.'
          : 'Switchboard starts in the tray, without opening a window.'}
      </p>
      <Feedback busy={busy} error={error ?? loadError} />
    </section>
  );
}
