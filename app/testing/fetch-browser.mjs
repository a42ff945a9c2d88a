// The tests' "browser": a BROWSER command (argv: the authorization URL last) that does what a
// person's browser does on an auto-approving authorization server — follow the redirect chain
// with fetch until the loopback callback answers. Each invocation is appended to
// $FETCH_BROWSER_LOG (one line: the URL's origin and path, never its query) so tests can assert
// who opened a browser and how often.
import fs from 'node:fs';

const start = process.argv[process.argv.length - 1];
const log = process.env.FETCH_BROWSER_LOG;
if (log) {
  const u = new URL(start);
  fs.appendFileSync(log, `${process.ppid} ${u.origin}${u.pathname}\n`);
}
let url = start;
for (let hop = 0; hop < 10; hop++) {
  const res = await fetch(url, { redirect: 'manual' });
  const next = res.headers.get('location');
  await res.body?.cancel();
  if (res.status < 300 || res.status >= 400 || !next) {
    process.exitCode = res.ok ? 0 : 1;
    break;
  }
  url = new URL(next, url).href;
}
