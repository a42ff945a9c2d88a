import { useEffect, useId, useState, type FormEvent } from 'react';
import type { OAuthDetectionDto } from '../../../app/contract/oauth-contract';
import type { PresetViewDto } from '../../../app/contract/projects-contract';
import type { TestReportDto } from '../../../app/contract/tokens-contract';
import { api } from '../api';
import { refresh, useAppStore } from '../store';
import { Dialog } from './Dialog';
import { Feedback } from './Feedback';
import { TestResult } from './TestResult';
import { EXPIRY_CHOICES, TokenValueFields } from './TokenValueFields';
import type { ProvisioningPresetDto } from '../../../app/contract/provisioning-contract';
import { AddPresetDialog, PresetOffer } from '../provisioning';

type Step = 'server' | 'auth' | 'review';
const STEPS: { id: Step; label: string }[] = [
  { id: 'server', label: 'Server' },
  { id: 'auth', label: 'Sign-in' },
  { id: 'review', label: 'Save' },
];

/** "acme" from https://mcp.acme.example/mcp: a sensible default the user can change. */
export function suggestName(url: string): string {
  try {
    const host = new URL(url).hostname;
    if (host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[')) return 'local';
    const parts = host.split('.').filter((p) => !['mcp', 'www', 'api'].includes(p));
    const base = (parts.length > 1 ? parts[parts.length - 2] : parts[0]) ?? '';
    return base
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63);
  } catch {
    return '';
  }
}

/** URL → test connection → auth → token → save, testing again with the token before saving. */
export function AddProjectDialog({ onClose }: { onClose: () => void }) {
  const ids = {
    url: useId(),
    name: useId(),
    display: useId(),
    preset: useId(),
    secret: useId(),
    issuerUrl: useId(),
    issuerProject: useId(),
  };
  const [presets, setPresets] = useState<PresetViewDto[]>([]);
  const [presetId, setPresetId] = useState('');
  const [secrets, setSecrets] = useState<string[]>([]);
  const [issuerUrl, setIssuerUrl] = useState('');
  const [issuerProject, setIssuerProject] = useState('');
  const preset = presets.find((p) => p.id === presetId);
  useEffect(() => {
    api()
      .projects.presets()
      .then(setPresets, () => setPresets([]));
  }, []);
  const select = useAppStore((s) => s.select);
  const [step, setStep] = useState<Step>('server');
  const [url, setUrl] = useState('');
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [displayName, setDisplayName] = useState('');
  const [auth, setAuth] = useState<'none' | 'bearer' | 'oauth'>('none');
  const [detected, setDetected] = useState<OAuthDetectionDto>();
  const [token, setToken] = useState('');
  const [expires, setExpires] = useState('never');
  const [report, setReport] = useState<TestReportDto>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  // A vendor (per-tenant) preset has its own dialog; tunnel/gateway presets stay in this one.
  const [vendorPreset, setVendorPreset] = useState<ProvisioningPresetDto>();

  const test = async (withToken: boolean) => {
    setBusy('Testing the connection…');
    setError(undefined);
    setReport(undefined);
    try {
      const r = await api().connection.test({
        url,
        ...(withToken && token ? { token } : {}),
        timeoutMs: 10_000,
      });
      setReport(r);
      return r;
    } catch (e) {
      setError((e as Error).message);
      return undefined;
    } finally {
      setBusy(undefined);
    }
  };

  const next = async (e?: FormEvent) => {
    e?.preventDefault();
    if (step === 'server') {
      const r = await test(false);
      if (r) {
        // A 401 means the server wants a token — OAuth when it publishes protected-resource
        // metadata (RFC 9728), else a pasted bearer token; an open server needs none.
        let oauth: OAuthDetectionDto | undefined;
        if (r.failure?.kind === 'auth' && !preset) {
          setBusy('Checking how this server signs in…');
          oauth = await api()
            .oauth.detect({ url })
            .catch(() => undefined)
            .finally(() => setBusy(undefined));
        }
        setDetected(oauth?.oauth ? oauth : undefined);
        setAuth(
          oauth?.oauth ? 'oauth' : r.failure?.kind === 'auth' ? 'bearer' : r.ok ? 'none' : auth,
        );
        setSecrets((preset?.secrets ?? []).map(() => ''));
        setStep('auth');
      }
    } else if (step === 'auth') {
      setStep('review');
    } else {
      await save();
    }
  };

  const save = async () => {
    setBusy('Saving…');
    setError(undefined);
    let createdId: string | undefined;
    try {
      if (preset) {
        // One call: the preset checks URL and secrets, then stores the secrets in the keychain.
        const made = await api().projects.addFromPreset({
          preset: preset.id,
          name,
          url,
          ...(displayName ? { displayName } : {}),
          ...(preset.secrets.length ? { secrets } : {}),
          ...(preset.needsIssuer ? { issuer: { url: issuerUrl, project: issuerProject } } : {}),
        });
        setSecrets([]);
        await refresh(api());
        select(made.id);
        onClose();
        return;
      }
      const project = await api().projects.add({
        name,
        url,
        auth,
        ...(displayName ? { displayName } : {}),
      });
      createdId = project.id;
      if (auth === 'bearer') await api().tokens.add({ project: project.id, value: token, expires });
      setToken('');
      await refresh(api());
      select(project.id);
      onClose();
    } catch (e) {
      // Nothing half-made stays behind: a project whose token failed is removed again.
      if (createdId)
        await api()
          .projects.remove({ ref: createdId })
          .catch(() => undefined);
      setError((e as Error).message);
      setBusy(undefined);
    }
  };

  const presetReady =
    preset !== undefined &&
    secrets.length === preset.secrets.length &&
    secrets.every((v) => v.trim() !== '') &&
    (!preset.needsIssuer || (issuerUrl.trim() !== '' && issuerProject.trim() !== ''));
  const canNext =
    step === 'server'
      ? url.trim() !== '' && name.trim() !== ''
      : step === 'auth'
        ? preset
          ? presetReady
          : auth !== 'bearer' || token.trim() !== ''
        : true;
  const index = STEPS.findIndex((s) => s.id === step);

  if (vendorPreset) return <AddPresetDialog preset={vendorPreset} onClose={onClose} />;
  return (
    <Dialog
      title="Add a project"
      wide
      onClose={onClose}
      footer={
        <>
          <button
            type="button"
            data-autofocus={step === 'review' ? true : undefined}
            onClick={onClose}
            disabled={!!busy}
          >
            Cancel
          </button>
          {index > 0 && (
            <button type="button" onClick={() => setStep(STEPS[index - 1]!.id)} disabled={!!busy}>
              Back
            </button>
          )}
          <button
            type="submit"
            form="add-project-form"
            className="primary"
            disabled={!!busy || !canNext}
          >
            {step === 'server'
              ? 'Test and continue'
              : step === 'auth'
                ? 'Continue'
                : 'Save project'}
          </button>
        </>
      }
    >
      <ol className="stepper" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li
            key={s.id}
            aria-current={s.id === step ? 'step' : undefined}
            className={i < index ? 'done' : ''}
          >
            {s.label}
          </li>
        ))}
      </ol>
      <form id="add-project-form" className="form" onSubmit={next}>
        {step === 'server' && (
          <>
            <label htmlFor={ids.preset}>Kind of server</label>
            <select id={ids.preset} value={presetId} onChange={(e) => setPresetId(e.target.value)}>
              <option value="">An MCP server URL (no tunnel or gateway)</option>
              {presets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
            </select>
            {preset && (
              <p className="hint" data-testid="preset-summary">
                {preset.summary}
              </p>
            )}
            <label htmlFor={ids.url}>Server URL</label>
            <input
              id={ids.url}
              type="url"
              required
              data-autofocus
              placeholder={preset?.urlPlaceholder ?? 'https://mcp.example.com/mcp'}
              value={url}
              onChange={(e) => {
                setUrl(e.target.value);
                if (!nameTouched) setName(suggestName(e.target.value));
              }}
            />
            <p className="hint">
              The server's Streamable HTTP endpoint. Plain http only for this machine.
            </p>
            <label htmlFor={ids.name}>Name</label>
            <input
              id={ids.name}
              required
              value={name}
              onChange={(e) => {
                setNameTouched(true);
                setName(e.target.value);
              }}
            />
            <p className="hint">
              Lowercase letters, digits and dashes; used by the CLI and in client configs.
            </p>
            <label htmlFor={ids.display}>Display name (optional)</label>
            <input
              id={ids.display}
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
            />
            <PresetOffer onPick={setVendorPreset} />
          </>
        )}
        {step === 'auth' && preset && (
          <>
            {report && <TestResult report={report} />}
            {preset.secrets.length === 0 && !preset.needsIssuer && (
              <p>
                {preset.title} needs no credential of its own: the connection itself is the sign-in.
              </p>
            )}
            {preset.secrets.map((s, i) => (
              <div key={s.label} className="form">
                <label htmlFor={`${ids.secret}-${i}`}>
                  {s.label}
                  {s.kind === 'secret-header' ? ` (header ${s.header})` : ' (bearer token)'}
                </label>
                <input
                  id={`${ids.secret}-${i}`}
                  type="password"
                  autoComplete="off"
                  spellCheck={false}
                  data-autofocus={i === 0 ? true : undefined}
                  value={secrets[i] ?? ''}
                  onChange={(e) =>
                    setSecrets((old) => old.map((v, j) => (j === i ? e.target.value : v)))
                  }
                />
                <p className="hint">{s.hint} Kept in the OS keychain, never in a file.</p>
              </div>
            ))}
            {preset.needsIssuer && (
              <>
                <label htmlFor={ids.issuerUrl}>Token-issuing API</label>
                <input
                  id={ids.issuerUrl}
                  type="url"
                  placeholder="https://gw.example.com"
                  value={issuerUrl}
                  onChange={(e) => setIssuerUrl(e.target.value)}
                />
                <label htmlFor={ids.issuerProject}>Gateway project</label>
                <input
                  id={ids.issuerProject}
                  value={issuerProject}
                  onChange={(e) => setIssuerProject(e.target.value)}
                />
                <p className="hint">
                  After saving, add the issuer key and mint a project-scoped token in the Tokens
                  panel.
                </p>
              </>
            )}
          </>
        )}
        {step === 'auth' && !preset && (
          <>
            {report && <TestResult report={report} />}
            <fieldset className="choices">
              <legend>How does this server sign you in?</legend>
              <label>
                <input
                  type="radio"
                  name="auth"
                  checked={auth === 'none'}
                  onChange={() => setAuth('none')}
                />{' '}
                No sign-in
              </label>
              <label>
                <input
                  type="radio"
                  name="auth"
                  checked={auth === 'bearer'}
                  onChange={() => setAuth('bearer')}
                />{' '}
                A bearer token I paste
              </label>
              <label>
                <input
                  type="radio"
                  name="auth"
                  checked={auth === 'oauth'}
                  onChange={() => setAuth('oauth')}
                />{' '}
                OAuth: I sign in in my browser
              </label>
            </fieldset>
            {auth === 'oauth' && (
              <p className="notice" data-testid="oauth-detected">
                {detected
                  ? `This server signs in with OAuth (${detected.reason}); authorization server ${detected.issuer ?? 'unknown'}.`
                  : 'Switchboard will look for the server’s OAuth metadata when you sign in.'}{' '}
                After saving, use Sign in: you will see exactly what is requested before your
                browser opens.
              </p>
            )}
            {auth === 'bearer' && (
              <>
                <TokenValueFields
                  value={token}
                  onValue={setToken}
                  expires={expires}
                  onExpires={setExpires}
                />
                <div>
                  <button type="button" onClick={() => void test(true)} disabled={!!busy || !token}>
                    Test with this token
                  </button>
                </div>
              </>
            )}
          </>
        )}
        {step === 'review' && (
          <dl className="review">
            <dt>Name</dt>
            <dd>{name}</dd>
            <dt>URL</dt>
            <dd>{url}</dd>
            {preset && (
              <>
                <dt>Kind</dt>
                <dd>{preset.title}</dd>
              </>
            )}
            <dt>Sign-in</dt>
            <dd>
              {preset
                ? preset.secrets.length
                  ? `${preset.secrets.map((s) => (s.kind === 'secret-header' ? s.header : s.label)).join(' and ')}, in the keychain`
                  : preset.needsIssuer
                    ? 'Project-scoped tokens minted by the gateway'
                    : 'None (the tunnel is the sign-in)'
                : auth === 'none'
                  ? 'None'
                  : auth === 'oauth'
                    ? 'OAuth (sign in after saving)'
                    : `Bearer token (expires: ${EXPIRY_CHOICES.find((c) => c.value === expires)?.label})`}
            </dd>
            {report && (
              <>
                <dt>Last test</dt>
                <dd>
                  {report.ok
                    ? `Passed: ${report.tools.length} tools`
                    : `Failed: ${report.failure?.message}`}
                </dd>
              </>
            )}
          </dl>
        )}
        <Feedback busy={busy} error={error} />
      </form>
    </Dialog>
  );
}
