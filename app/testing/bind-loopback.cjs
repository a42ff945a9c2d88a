/* global require */
// A --require preload for third-party test peers that call listen(port) and so bind every
// interface (server-everything, supergateway): it pins them to 127.0.0.1.
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    const [port, maybeHost, ...rest] = args;
    if (typeof maybeHost === 'string') return listen.call(this, port, '127.0.0.1', ...rest);
    return listen.call(this, Number(port), '127.0.0.1', ...args.slice(1));
  }
  if (args[0] && typeof args[0] === 'object' && !('fd' in args[0]) && !('path' in args[0])) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
