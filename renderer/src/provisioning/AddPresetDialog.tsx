import { useId, useState, type FormEvent } from 'react';
import type { ProvisioningPresetDto } from '../../../app/contract/provisioning-contract';
import { api } from '../api';
import { Dialog } from '../components/Dialog';
import { Feedback } from '../components/Feedback';
import { refresh, refreshProvisioning, useAppStore } from '../store';

/**
 * Adds a project from a vendor preset: a name and the API key (kept in the keychain). Nothing is
 * sent to the vendor here; a private endpoint is offered afterwards, behind its consent.
 */
export function AddPresetDialog({
  preset,
  onClose,
}: {
  preset: ProvisioningPresetDto;
  onClose: () => void;
}) {
  const ids = { name: useId(), key: useId() };
  const select = useAppStore((s) => s.select);
  const [name, setName] = useState(preset.id);
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy('Saving…');
    setError(undefined);
    let createdId: string | undefined;
    try {
      const project = await api().projects.add({
        name,
        url: preset.url,
        auth: 'provisioned',
        displayName: preset.vendor,
        provisioning: preset.provisioning,
      });
      createdId = project.id;
      await api().tokens.add({ project: project.id, value: apiKey, name: 'api-key' });
      setApiKey('');
      await Promise.all([refresh(api()), refreshProvisioning(api())]);
      select(project.id);
      onClose();
    } catch (err) {
      if (createdId)
        await api()
          .projects.remove({ ref: createdId })
          .catch(() => undefined);
      setError((err as Error).message);
      setBusy(undefined);
    }
  };

  return (
    <Dialog
      title={`Add ${preset.vendor}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" data-autofocus onClick={onClose} disabled={!!busy}>
            Cancel
          </button>
          <button
            type="submit"
            form="add-preset-form"
            className="primary"
            disabled={!!busy || !name || !apiKey}
          >
            Save project
          </button>
        </>
      }
    >
      <form id="add-preset-form" className="form" onSubmit={save}>
        <p>{preset.description}</p>
        <label htmlFor={ids.name}>Name</label>
        <input id={ids.name} required value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor={ids.key}>{preset.vendor} API key</label>
        <input
          id={ids.key}
          type="password"
          autoComplete="off"
          required
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
        />
        <p className="hint">
          Kept in your keychain. Clients use the shared endpoint <code>{preset.url}</code> with it
          until you choose a private endpoint (that asks first).
        </p>
        <Feedback busy={busy} error={error} />
      </form>
    </Dialog>
  );
}
