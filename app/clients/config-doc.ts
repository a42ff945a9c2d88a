import { JsoncDoc } from './jsonc-doc.js';
import { TomlDoc } from './toml-doc.js';
import type { ClientDef, ConfigFormat } from './types.js';
import { YamlDoc } from './yaml-doc.js';

/** A parsed client config: the servers map, positions for findings, and surgical edits. */
export interface ConfigDoc {
  readonly text: string;
  servers(): Record<string, unknown>;
  /** 1-based line/column of an entry (or a key inside it), for findings. */
  locate(name: string, sub?: (string | number)[]): { line: number; column: number } | undefined;
  /** The whole text with our entry set (added or replaced); nothing else changes. */
  withEntry(name: string, value: Record<string, unknown>): string;
  /** The whole text without that entry; nothing else changes. */
  withoutEntry(name: string): string;
}

export const BOM = '\uFEFF';

/** Parses text (BOM already stripped); throws a positioned error for a file we cannot read. */
export function parseConfig(
  format: ConfigFormat,
  file: string,
  text: string,
  serversKey: string[],
  listKeyedBy?: string,
): ConfigDoc {
  if (format === 'toml') return new TomlDoc(file, text, serversKey);
  if (format === 'yaml') return new YamlDoc(file, text, serversKey, listKeyedBy);
  return new JsoncDoc(file, text, serversKey);
}

/** A client's config file as that client lays it out. */
export function parseClientConfig(
  def: Pick<ClientDef, 'format' | 'serversKey' | 'listKeyedBy'>,
  file: string,
  text: string,
): ConfigDoc {
  return parseConfig(def.format, file, text, def.serversKey, def.listKeyedBy);
}
