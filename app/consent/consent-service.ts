import crypto from 'node:crypto';
import path from 'node:path';
import { recordLifecycleEvent } from '../audit/segment-writer.js';
import { SwitchboardError } from '../shared/errors.js';
import { JsonStore } from '../store/json-store.js';
import { watchFile, type FileWatcher } from '../store/watch-file.js';
import { APP_VERSION } from '../version.js';
import {
  CONSENTS_FILE_VERSION,
  ConsentSubjectSchema,
  ConsentsFileSchema,
  changedFields,
  consentHash,
  type ConsentKind,
  type ConsentRecord,
  type ConsentSource,
  type ConsentSubject,
  type ConsentsFile,
} from './consent.js';

export const CONSENTS_FILE = 'consents.json';

/** What a caller learns before showing a dialog: already consented, or why we ask (again). */
export type ConsentCheck =
  | { status: 'granted'; record: ConsentRecord }
  | { status: 'needed'; previous?: ConsentRecord; changed: string[] };

/** Undoes a grant when its consent is withdrawn (sign out, stop using a per-tenant endpoint…). */
export type WithdrawHandler = (record: ConsentRecord, opts: WithdrawOptions) => Promise<void>;

export interface WithdrawOptions {
  /** Also delete what the grant created on the remote side (provisioning: vendor secret/function). */
  deleteRemote?: boolean;
  source: ConsentSource;
}

function newConsentId(): string {
  return `con_${crypto.randomBytes(8).toString('hex')}`;
}

/**
 * The consent ledger (`consents.json` in the data dir): one record per project and kind, bound
 * to what the user saw (see consentHash). Every grant and withdrawal is also an audit event.
 * Services that make grants register a withdraw handler for their kind, so withdrawing from any
 * place (window, CLI, project removal) undoes the grant the same way.
 */
export class ConsentService {
  readonly store: JsonStore<ConsentsFile>;
  private readonly handlers = new Map<ConsentKind, WithdrawHandler>();

  constructor(
    readonly dataDir: string,
    private readonly auditSource: 'app' | 'cli' = 'cli',
  ) {
    this.store = new JsonStore<ConsentsFile>({
      path: path.join(dataDir, CONSENTS_FILE),
      schema: ConsentsFileSchema,
      version: CONSENTS_FILE_VERSION,
      empty: () => ({ version: CONSENTS_FILE_VERSION, consents: [] }),
    });
  }

  /** Registers how a withdrawn consent of `kind` is undone. One handler per kind. */
  onWithdraw(kind: ConsentKind, handler: WithdrawHandler): void {
    this.handlers.set(kind, handler);
  }

  async list(): Promise<ConsentRecord[]> {
    const file = await this.store.read();
    return [...file.consents].sort((a, b) => b.grantedAt.localeCompare(a.grantedAt));
  }

  async forProject(projectId: string, kind?: ConsentKind): Promise<ConsentRecord[]> {
    return (await this.list()).filter(
      (c) => c.projectId === projectId && (kind === undefined || c.kind === kind),
    );
  }

  async get(id: string): Promise<ConsentRecord> {
    const found = (await this.store.read()).consents.find((c) => c.id === id);
    if (!found) {
      throw new SwitchboardError(
        'NOT_FOUND',
        `No consent with id ${id}; list them with \`switchboard consent list\`.`,
        { id },
      );
    }
    return found;
  }

  /** Is exactly this request already consented to? If not, what changed since the last consent. */
  async check(subject: ConsentSubject): Promise<ConsentCheck> {
    const request = ConsentSubjectSchema.parse(subject);
    const hash = consentHash(request);
    const previous = (await this.forProject(request.projectId, request.kind))[0];
    if (previous?.hash === hash) return { status: 'granted', record: previous };
    return previous
      ? { status: 'needed', previous, changed: changedFields(previous, request) }
      : { status: 'needed', changed: [] };
  }

  /** Records a consent the user just gave; it replaces the project's earlier one of that kind. */
  async record(subject: ConsentSubject, source: ConsentSource): Promise<ConsentRecord> {
    const request = ConsentSubjectSchema.parse(subject);
    const record: ConsentRecord = {
      ...request,
      ...(request.scopes ? { scopes: [...new Set(request.scopes)].sort() } : {}),
      id: newConsentId(),
      hash: consentHash(request),
      grantedAt: new Date().toISOString(),
      source,
      appVersion: APP_VERSION,
    };
    await this.store.update((file) => ({
      next: {
        ...file,
        consents: [
          ...file.consents.filter(
            (c) => !(c.projectId === record.projectId && c.kind === record.kind),
          ),
          record,
        ],
      },
      result: undefined,
    }));
    await this.audit('consent-given', record, { source });
    return record;
  }

  /**
   * Withdraws a consent: runs the kind's withdraw handler first (so a failure to undo the grant
   * keeps the record and can be retried), then deletes the record and writes the audit event.
   */
  async revoke(id: string, opts: WithdrawOptions): Promise<ConsentRecord> {
    const record = await this.get(id);
    const handler = this.handlers.get(record.kind);
    if (handler) await handler(record, opts);
    await this.forget(id);
    await this.audit('consent-withdrawn', record, {
      source: opts.source,
      deleteRemote: opts.deleteRemote === true,
    });
    return record;
  }

  /** Drops records without running handlers (the grant is already gone, e.g. a signed-out project). */
  async forgetProject(projectId: string, kind?: ConsentKind): Promise<ConsentRecord[]> {
    const gone = await this.forProject(projectId, kind);
    for (const record of gone) {
      await this.forget(record.id);
      await this.audit('consent-withdrawn', record, { source: this.auditSource });
    }
    return gone;
  }

  watch(onChange: () => void): FileWatcher {
    return watchFile(this.store.path, onChange);
  }

  private async forget(id: string): Promise<void> {
    await this.store.update((file) => ({
      next: { ...file, consents: file.consents.filter((c) => c.id !== id) },
      result: undefined,
    }));
  }

  private async audit(
    kind: 'consent-given' | 'consent-withdrawn',
    record: ConsentRecord,
    extra: Record<string, unknown>,
  ): Promise<void> {
    await recordLifecycleEvent(
      this.dataDir,
      {
        projectId: record.projectId,
        projectName: record.projectName,
        direction: 'bridge',
        kind,
        detail: {
          consentId: record.id,
          consentKind: record.kind,
          serverUrl: record.serverUrl,
          ...(record.issuer ? { issuer: record.issuer } : {}),
          ...(record.clientId ? { clientId: record.clientId } : {}),
          ...(record.scopes ? { scopes: record.scopes.join(' ') } : {}),
          ...(record.keyFingerprint ? { keyFingerprint: record.keyFingerprint } : {}),
          ...(record.controlPlane ? { controlPlane: record.controlPlane } : {}),
          ...extra,
        },
      },
      this.auditSource,
    ).catch(() => undefined);
  }
}
