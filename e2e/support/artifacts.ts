import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { REPO_ROOT } from '../../app/testing/run-cli';

export async function saveScreenshot(page: Page, target: string, name: string): Promise<string> {
  const dir = path.join(REPO_ROOT, 'e2e', 'artifacts', target);
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
