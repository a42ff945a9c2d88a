// The era benchmark's upstream: the 2026-07-28-only test server in its own process. Prints its
// URL as one JSON line, runs until killed.
import { startModernServer } from '../app/testing/modern-server.js';

const server = await startModernServer();
process.stdout.write(JSON.stringify({ url: server.url }) + '\n');
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
