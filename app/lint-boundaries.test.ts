import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './testing/run-cli.js';

// Lints fixture text as if it lived at the given path, with the project's real config.
async function lint(filePath: string, code: string) {
  const eslint = new ESLint({ cwd: REPO_ROOT });
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId);
}

describe('process boundaries (eslint)', () => {
  it('fails an electron import in app/ and renderer/', async () => {
    const code = "import { app } from 'electron';\nexport const x = app;\n";
    expect(await lint('app/boundary-fixture.ts', code)).toContain('no-restricted-imports');
    expect(await lint('renderer/src/boundary-fixture.ts', code)).toContain('no-restricted-imports');
    expect(await lint('main/boundary-fixture.ts', code)).not.toContain('no-restricted-imports');
  });

  it('fails ipcRenderer anywhere outside preload/', async () => {
    const code = "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n";
    expect(await lint('main/boundary-fixture.ts', code)).toContain('no-restricted-syntax');
    expect(await lint('renderer/src/boundary-fixture.ts', code)).toContain('no-restricted-syntax');
    expect(await lint('preload/boundary-fixture.ts', code)).toEqual([]);
  });
});
