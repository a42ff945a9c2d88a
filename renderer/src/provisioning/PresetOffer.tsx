import { useEffect, useState } from 'react';
import type { ProvisioningPresetDto } from '../../../app/contract/provisioning-contract';
import { api } from '../api';

/** The add-project flow's offer of vendor presets (one click instead of three URLs). */
export function PresetOffer({ onPick }: { onPick: (preset: ProvisioningPresetDto) => void }) {
  const [presets, setPresets] = useState<ProvisioningPresetDto[]>([]);
  useEffect(() => {
    api()
      .provisioning.presets()
      .then(setPresets, () => setPresets([]));
  }, []);
  if (presets.length === 0) return null;
  return (
    <p className="hint preset-offer">
      Or start from a vendor preset:{' '}
      {presets.map((p) => (
        <button key={p.id} type="button" className="link" onClick={() => onPick(p)}>
          {p.label}
        </button>
      ))}
    </p>
  );
}
