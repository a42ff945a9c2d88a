/** Where secret values live. Records in files carry only the opaque account id. */
export interface SecretStore {
  readonly kind: 'keychain' | 'file';
  get(account: string): Promise<string | undefined>;
  set(account: string, value: string): Promise<void>;
  /** Resolves false when there was nothing to delete. */
  delete(account: string): Promise<boolean>;
}

export const KEYCHAIN_SERVICE = 'Switchboard';
