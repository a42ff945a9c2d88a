import path from 'node:path';
import { TOKENS_FILE_VERSION } from '../shared/file-versions.js';
import { JsonStore, type Validator } from '../store/json-store.js';
import {
  arrayOf,
  literal,
  nullable,
  object,
  optional,
  shapeValidator,
  str,
} from '../store/shape.js';
import { watchFile, type FileWatcher } from '../store/watch-file.js';
import type { TokenRecord, TokensFile } from './token.js';

// zod-free on purpose: the bridge reads tokens.json through this module (see store/shape.ts).

export const TOKENS_FILE = 'tokens.json';
export { TOKENS_FILE_VERSION };
/** Bridges record last use at most this often per token (it costs a locked file write). */
export const LAST_USED_THROTTLE_MS = 60_000;

export function tokensStore(dataDir: string, schema: Validator<TokensFile>): JsonStore<TokensFile> {
  return new JsonStore<TokensFile>({
    path: path.join(dataDir, TOKENS_FILE),
    schema,
    version: TOKENS_FILE_VERSION,
    empty: () => ({ version: TOKENS_FILE_VERSION, tokens: [] }),
  });
}

/** The fields a reader acts on; the zod TokensFileSchema checks everything on every write. */
const tokensFileShape = shapeValidator<TokensFile>(
  object({
    version: literal(TOKENS_FILE_VERSION),
    tokens: arrayOf(
      object({
        id: str,
        projectId: str,
        name: str,
        kind: str,
        headerName: optional(str),
        queryParam: optional(str),
        fingerprint: str,
        createdAt: str,
        expiresAt: nullable(str),
        lastUsedAt: optional(str),
        revokedAt: optional(str),
      }),
    ),
  }),
);

/** What a bridge needs of tokens.json, without loading zod: records, last use, changes. */
export class TokenRecordsReader {
  constructor(private readonly store: JsonStore<TokensFile>) {}

  static open(dataDir: string): TokenRecordsReader {
    return new TokenRecordsReader(tokensStore(dataDir, tokensFileShape));
  }

  /** Records of one project, newest first. */
  async recordsFor(projectId: string): Promise<TokenRecord[]> {
    const file = await this.store.read();
    return file.tokens
      .filter((t) => t.projectId === projectId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Written by bridges; throttled so a busy bridge writes at most once a minute per token. */
  async markUsed(tokenId: string, now = new Date()): Promise<void> {
    await this.store.update((f) => {
      const t = f.tokens.find((x) => x.id === tokenId);
      if (
        !t ||
        (t.lastUsedAt && now.getTime() - Date.parse(t.lastUsedAt) < LAST_USED_THROTTLE_MS)
      ) {
        return { next: f, result: undefined };
      }
      return {
        next: {
          ...f,
          tokens: f.tokens.map((x) =>
            x.id === tokenId ? { ...x, lastUsedAt: now.toISOString() } : x,
          ),
        },
        result: undefined,
      };
    });
  }

  watch(onChange: () => void): FileWatcher {
    return watchFile(this.store.path, onChange);
  }
}
