import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Bundles `write-events.ts` into a standalone .mjs in `outDir` (once per test file or bench). */
export async function bundleWriter(
  outDir: string,
  entry = path.join(HERE, 'write-events.ts'),
): Promise<string> {
  const out = path.join(outDir, 'write-events.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'silent',
  });
  return out;
}

export interface WriterResult {
  written: number;
  dropped: number;
  ms: number;
}

/** Runs one writer process to completion (bounded by `timeoutMs`). */
export function runWriter(
  script: string,
  args: string[],
  timeoutMs = 120_000,
): Promise<WriterResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`writer exited ${code}: ${err}`));
      resolve(JSON.parse(out) as WriterResult);
    });
  });
}
