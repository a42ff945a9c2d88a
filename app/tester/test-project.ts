import type { Project } from '../projects/project.js';
import { createCredentialProvider } from '../tokens/credential-provider.js';
import { testConnection, type TestReport } from './test-connection.js';

/**
 * Tests a saved project with its own credentials, exactly as a bridge would send them. A
 * credential problem (missing, expired) is reported as an auth failure without any request.
 */
export async function testProject(
  opts: {
    dataDir: string;
    env: NodeJS.ProcessEnv;
    project: Project;
    /** The mcp-remote importer's check of the grant it has not verified yet. */
    usePendingImport?: boolean;
  },
  test: {
    expectTools?: string[];
    tool?: string;
    args?: Record<string, unknown>;
    timeoutMs?: number;
  } = {},
): Promise<TestReport> {
  const { project } = opts;
  const provider = createCredentialProvider({
    dataDir: opts.dataDir,
    project,
    env: opts.env,
    ...(opts.usePendingImport ? { usePendingImport: true } : {}),
  });
  try {
    const creds = await provider.current();
    if (!creds.ok) {
      return {
        ok: false,
        exitCode: 1,
        url: project.url,
        project: project.name,
        tools: [],
        missingTools: [],
        timings: { totalMs: 0 },
        failure: { kind: 'auth', stage: 'initialize', message: creds.message },
      };
    }
    return await testConnection({
      // A provisioned project's endpoint comes with its credential (never mix the two).
      url: creds.url ?? project.url,
      headers: { ...project.headers, ...creds.headers },
      secretValues: creds.secretValues,
      ...(creds.query ? { query: creds.query } : {}),
      project: project.name,
      ...test,
    });
  } finally {
    provider.close();
  }
}
