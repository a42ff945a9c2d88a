// Inside a private network namespace (`unshare -n`, only loopback), makes one TCP port on
// 127.0.0.1 reach a server outside it through a Unix socket (the file system is shared), then
// runs a command and exits with its code. Lets a third-party program that must not reach the
// internet (real mcp-remote) still talk to a test server of the outer namespace.
// argv: <port> <socket path> <command> [args…]
import { spawn } from 'node:child_process';
import net from 'node:net';

const [port, socketPath, command, ...args] = process.argv.slice(2);
const server = net.createServer((inner) => {
  const outer = net.connect(socketPath);
  inner.pipe(outer).pipe(inner);
  inner.on('error', () => outer.destroy());
  outer.on('error', () => inner.destroy());
});
server.listen(Number(port), '127.0.0.1', () => {
  const child = spawn(command, args, { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
});
