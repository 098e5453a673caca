#!/usr/bin/env node
// The stp-upgrade CLI: runs the compiled entry (npm run build makes dist/).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'client', 'cli.js');
if (!fs.existsSync(entry)) {
  console.error('stp-upgrade is not built yet: run `npm run build` in ' + path.join(__dirname, '..'));
  process.exit(2);
}
// Exit once stdout is flushed: output to a pipe is written asynchronously (a long --json report).
require(entry).main(process.argv.slice(2)).then((code) => process.stdout.write('', () => process.exit(code)));
