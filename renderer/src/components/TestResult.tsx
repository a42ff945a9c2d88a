import type { TestReportDto } from '../../../app/contract/tokens-contract';

/** What a connection test found, in words a person can act on. */
export function TestResult({ report }: { report: TestReportDto }) {
  if (report.ok) {
    return (
      <div className="result result-ok" role="status" data-testid="test-result">
        <strong>✓ Connected</strong> to{' '}
        {report.server ? `${report.server.name} ${report.server.version}` : report.url} in{' '}
        {report.timings.totalMs} ms — {report.tools.length} tools
        {report.tools.length > 0 && (
          <span className="muted">: {report.tools.slice(0, 8).join(', ')}</span>
        )}
        {report.tools.length > 8 && (
          <span className="muted"> and {report.tools.length - 8} more</span>
        )}
      </div>
    );
  }
  const advice = report.tunnel
    ? report.tunnel.state === 'tunnel-down'
      ? 'The tunnel is not running: start it, then test again.'
      : 'The tunnel works; the MCP server behind it does not answer. Start it, then test again.'
    : report.failure?.kind === 'auth'
      ? 'The server wants credentials: choose a bearer token below and paste it.'
      : report.failure?.kind === 'contract'
        ? 'The server answered, but not as expected.'
        : 'Check the URL and that the server is running. You can still continue.';
  return (
    <div className="result result-bad" role="alert" data-testid="test-result">
      <strong>✕ {report.failure?.kind === 'auth' ? 'Sign-in required' : 'Test failed'}</strong>
      <p>{report.failure?.message}</p>
      {report.healthz && (
        <p data-testid="test-healthz">
          Health check {report.healthz.ok ? 'passed' : 'failed'}: {report.healthz.message}
        </p>
      )}
      <p className="muted">{advice}</p>
    </div>
  );
}
