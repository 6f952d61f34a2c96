// Preloaded into CLI child processes by the conventions test (`node --import`): names under
// `.remote.test` (a reserved TLD, RFC 2606) resolve to 127.0.0.1 in that process only, so a test
// can point the CLI at an endpoint that is not written as a loopback address while every packet
// stays on this machine's loopback interface.
import dns from 'node:dns';

const SUFFIX = '.remote.test';
const lookup = dns.lookup;

dns.lookup = function lookupTestHosts(hostname, options, callback) {
  if (typeof hostname !== 'string' || !hostname.endsWith(SUFFIX)) {
    return lookup.call(this, hostname, options, callback);
  }
  const done = typeof options === 'function' ? options : callback;
  const all = typeof options === 'object' && options !== null && options.all === true;
  process.nextTick(() =>
    all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4),
  );
  return {};
};
