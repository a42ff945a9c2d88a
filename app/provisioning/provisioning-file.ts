import type Crypto from 'node:crypto';
import path from 'node:path';
import { lazyBuiltin } from '../platform/lazy-builtin.js';
import { JsonStore } from '../store/json-store.js';
import { arrayOf, literal, object, oneOf, optional, shapeValidator, str } from '../store/shape.js';
import { watchFile, type FileWatcher } from '../store/watch-file.js';

// zod-free on purpose: bridges read and (on a lost cache) write this file (see store/shape.ts).

const crypto = lazyBuiltin<typeof Crypto>('node:crypto');

export const PROVISIONING_FILE = 'provisioning.json';
export const PROVISIONING_FILE_VERSION = 1;

/**
 * The cached outcome of provisioning one project, bound to the control plane and the API key it
 * was made for (a different key or control plane is a cache miss). Nothing here is secret: the
 * shared secret lives in the keychain under `sharedSecretAccount`.
 */
export interface ProvisionedEntry {
  projectId: string;
  controlPlane: string;
  keyFingerprint: string;
  /** `withdrawn`: the consent was withdrawn; no process re-provisions for that consent. */
  status: 'ready' | 'failed' | 'withdrawn';
  /** The vendor-side secret holding the API key (deterministic name from its fingerprint). */
  secretName: string;
  secretId?: string;
  url?: string;
  funcId?: string;
  sharedSecretAccount?: string;
  /** Short failure reason, for status `failed`. */
  failure?: string;
  /** The consent this entry was made (or withdrawn) under. */
  consentId?: string;
  updatedAt: string;
}

export interface ProvisioningFile {
  version: typeof PROVISIONING_FILE_VERSION;
  endpoints: ProvisionedEntry[];
}

const shape = shapeValidator<ProvisioningFile>(
  object({
    version: literal(PROVISIONING_FILE_VERSION),
    endpoints: arrayOf(
      object({
        projectId: str,
        controlPlane: str,
        keyFingerprint: str,
        status: oneOf(['ready', 'failed', 'withdrawn']),
        secretName: str,
        secretId: optional(str),
        url: optional(str),
        funcId: optional(str),
        sharedSecretAccount: optional(str),
        failure: optional(str),
        consentId: optional(str),
        updatedAt: str,
      }),
    ),
  }),
);

/** provisioning.json in the data dir: one entry per project, written atomically (0600). */
export class ProvisioningFileStore {
  readonly store: JsonStore<ProvisioningFile>;

  constructor(readonly dataDir: string) {
    this.store = new JsonStore<ProvisioningFile>({
      path: path.join(dataDir, PROVISIONING_FILE),
      schema: shape,
      version: PROVISIONING_FILE_VERSION,
      empty: () => ({ version: PROVISIONING_FILE_VERSION, endpoints: [] }),
    });
  }

  async get(projectId: string): Promise<ProvisionedEntry | undefined> {
    return (await this.store.read()).endpoints.find((e) => e.projectId === projectId);
  }

  /** Replaces the project's entry; resolves with the one it replaced. */
  async put(entry: ProvisionedEntry): Promise<ProvisionedEntry | undefined> {
    return this.store.update((file) => ({
      next: {
        ...file,
        endpoints: [...file.endpoints.filter((e) => e.projectId !== entry.projectId), entry],
      },
      result: file.endpoints.find((e) => e.projectId === entry.projectId),
    }));
  }

  /** Removes the project's entry; resolves with it (undefined when there was none). */
  async remove(projectId: string): Promise<ProvisionedEntry | undefined> {
    const current = await this.get(projectId);
    if (!current) return undefined;
    return this.store.update((file) => ({
      next: { ...file, endpoints: file.endpoints.filter((e) => e.projectId !== projectId) },
      result: file.endpoints.find((e) => e.projectId === projectId),
    }));
  }

  watch(onChange: () => void): FileWatcher {
    return watchFile(this.store.path, onChange);
  }
}

/** Keychain account for a shared secret: opaque, so files never hint at what it holds. */
export function newSharedSecretAccount(): string {
  return `prv_${crypto().randomBytes(8).toString('hex')}`;
}

/** The vendor-side secret's name: the same for the same key, so a lost cache never duplicates it. */
export function vendorSecretName(keyFingerprint: string): string {
  return `switchboard-mcp-${keyFingerprint}`;
}
