/* global require */
// A --require probe for bridge start-up tests: when the process writes its first stdout line
// (its first answer), the Node built-ins loaded so far go to $SWITCHBOARD_TEST_MODULES_FILE.
const fs = require('node:fs');
const out = process.env.SWITCHBOARD_TEST_MODULES_FILE;
const write = process.stdout.write;
let done = false;
process.stdout.write = function (...args) {
  if (!done && out) {
    done = true;
    const builtins = process.moduleLoadList
      .filter((m) => m.startsWith('NativeModule '))
      .map((m) => m.slice('NativeModule '.length));
    fs.writeFileSync(out, builtins.join('\n') + '\n');
  }
  return write.apply(this, args);
};
