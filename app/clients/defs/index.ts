import type { ClientDef, ClientId } from '../types.js';
import { amp } from './amp.js';
import { claudeCode } from './claude-code.js';
import { claudeDesktop } from './claude-desktop.js';
import { clineCli } from './cline-cli.js';
import { cline } from './cline.js';
import { codex } from './codex.js';
import { continueDev } from './continue.js';
import { copilotCli } from './copilot-cli.js';
import { crush } from './crush.js';
import { cursor } from './cursor.js';
import { gemini } from './gemini.js';
import { goose } from './goose.js';
import { kiloCode } from './kilo-code.js';
import { kiro } from './kiro.js';
import { lmStudio } from './lm-studio.js';
import { opencode } from './opencode.js';
import { qwenCode } from './qwen-code.js';
import { rooCode } from './roo-code.js';
import { vscode } from './vscode.js';
import { windsurf } from './windsurf.js';
import { zed } from './zed.js';

export const CLIENT_DEFS: Record<ClientId, ClientDef> = {
  'claude-desktop': claudeDesktop,
  'claude-code': claudeCode,
  cursor,
  vscode,
  windsurf,
  gemini,
  codex,
  zed,
  cline,
  'lm-studio': lmStudio,
  opencode,
  'cline-cli': clineCli,
  'qwen-code': qwenCode,
  'copilot-cli': copilotCli,
  goose,
  continue: continueDev,
  kiro,
  'roo-code': rooCode,
  amp,
  crush,
  'kilo-code': kiloCode,
};
