// The benchmark's upstream: the SDK-built test server in its own process (so its CPU does not
// compete with the client being measured). Prints its URL as one JSON line, runs until killed.
import { startMcpTestServer } from '../app/testing/mcp-test-server.js';

const server = await startMcpTestServer();
process.stdout.write(JSON.stringify({ url: server.url }) + '\n');
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
