import { useId, useState, type FormEvent } from 'react';
import type { ProjectView } from '../../../app/contract/projects-contract';
import type { TokenViewDto } from '../../../app/contract/tokens-contract';
import { api } from '../api';
import { refresh } from '../store';
import { Dialog } from './Dialog';
import { TokenValueFields } from './TokenValueFields';

export type TokenFormMode = 'add' | 'rotate';

interface Props {
  project: ProjectView;
  mode: TokenFormMode;
  token?: TokenViewDto;
  onClose: () => void;
  onMinted: (name: string, fingerprint: string, value: string) => void;
}

/** Add a pasted token, or rotate one (mint a replacement where the issuer allows, else paste). */
export function TokenFormDialog({ project, mode, token, onClose, onMinted }: Props) {
  const ids = { name: useId(), kind: useId(), header: useId(), param: useId() };
  const canMint = mode === 'rotate' && !!token?.issuer && !!project.issuer;
  const [how, setHow] = useState<'mint' | 'paste'>(canMint ? 'mint' : 'paste');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'bearer' | 'secret-header' | 'query-secret'>('bearer');
  const [header, setHeader] = useState('');
  const [param, setParam] = useState('');
  const [value, setValue] = useState('');
  const [expires, setExpires] = useState('never');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result =
        mode === 'add'
          ? await api().tokens.add({
              project: project.id,
              value,
              ...(name ? { name } : {}),
              kind,
              ...(kind === 'secret-header' ? { headerName: header } : {}),
              ...(kind === 'query-secret' ? { queryParam: param } : {}),
              expires,
            })
          : await api().tokens.rotate({
              project: project.id,
              name: token!.name,
              ...(how === 'paste' ? { value, ttl: expires } : {}),
            });
      setValue('');
      await refresh(api());
      onClose();
      if (result.mintedValue)
        onMinted(result.token.name, result.token.fingerprint, result.mintedValue);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  const needsValue = mode === 'add' || how === 'paste';
  const valid =
    (!needsValue || value.trim().length > 0) &&
    (kind !== 'secret-header' || header.trim().length > 0) &&
    (kind !== 'query-secret' || param.trim().length > 0);
  return (
    <Dialog
      title={mode === 'add' ? `Add a token to ${project.displayName}` : `Rotate “${token!.name}”`}
      onClose={onClose}
      footer={
        <>
          <button
            type="button"
            data-autofocus={!needsValue ? true : undefined}
            onClick={onClose}
            disabled={busy}
          >
            Cancel
          </button>
          <button type="submit" form="token-form" className="primary" disabled={busy || !valid}>
            {busy
              ? 'Saving…'
              : mode === 'add'
                ? 'Save token'
                : how === 'mint'
                  ? 'Mint replacement'
                  : 'Replace token'}
          </button>
        </>
      }
    >
      <form id="token-form" className="form" onSubmit={submit}>
        {mode === 'rotate' && (
          <p className="muted">
            The new token becomes active at once; running bridges pick it up within a second. The
            old one ({token!.fingerprint}) is then revoked{token!.issuer ? ' at its issuer' : ''}.
          </p>
        )}
        {canMint && (
          <fieldset className="choices">
            <legend>Replacement</legend>
            <label>
              <input
                type="radio"
                name="how"
                checked={how === 'mint'}
                onChange={() => setHow('mint')}
              />{' '}
              Mint a new token from the server
            </label>
            <label>
              <input
                type="radio"
                name="how"
                checked={how === 'paste'}
                onChange={() => setHow('paste')}
              />{' '}
              Paste a token I already have
            </label>
          </fieldset>
        )}
        {mode === 'add' && (
          <>
            <label htmlFor={ids.name}>Name (optional)</label>
            <input
              id={ids.name}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="default"
            />
            <label htmlFor={ids.kind}>Sent as</label>
            <select
              id={ids.kind}
              value={kind}
              onChange={(e) => setKind(e.target.value as typeof kind)}
            >
              <option value="bearer">Authorization: Bearer …</option>
              <option value="secret-header">A secret header</option>
              <option value="query-secret">A secret URL query parameter (…?api_key=…)</option>
            </select>
            {kind === 'secret-header' && (
              <>
                <label htmlFor={ids.header}>Header name</label>
                <input
                  id={ids.header}
                  value={header}
                  onChange={(e) => setHeader(e.target.value)}
                  placeholder="CF-Access-Client-Secret"
                />
              </>
            )}
            {kind === 'query-secret' && (
              <>
                <label htmlFor={ids.param}>Query parameter</label>
                <input
                  id={ids.param}
                  value={param}
                  onChange={(e) => setParam(e.target.value)}
                  placeholder="api_key"
                  aria-describedby={`${ids.param}-note`}
                />
                <p id={`${ids.param}-note`} className="muted">
                  Kept in the keychain and added to the URL only when connecting.
                </p>
              </>
            )}
          </>
        )}
        {needsValue && (
          <TokenValueFields
            value={value}
            onValue={setValue}
            expires={expires}
            onExpires={setExpires}
            autoFocus
          />
        )}
        {error && (
          <p role="alert" className="form-error">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
