// Patches a known crash in postgres.js 3.4.9 (porsager/postgres#1154, #1208; fix proposed in
// #1176/#1209, not released): a small write is deferred with setImmediate, and if the connection
// closes first, `nextWrite` calls `socket.write` on null from a timer — an uncatchable exception
// that kills the whole server the moment the database drops a connection. Teardown also cancels
// the timer without resetting it, so a reused connection could never flush again.
//
// The guard settles the pending queries with CONNECTION_CLOSED (the caller gets a catchable error
// and the pool reconnects), and teardown resets the write state. Runs on `npm install`
// (postinstall); idempotent; fails loudly if postgres.js changed so the patch no longer fits.
// Plain JavaScript on purpose: it may run under the system Node.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MARK = '/* cho-ocop: guarded nextWrite */';

const replacements = [
  [
    '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
    `  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options, socket))\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
  ],
  ['    clearImmediate(nextWriteTimer)\n    if (socket) {', '    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {'],
  ['    clearImmediate(nextWriteTimer)\n    socket.removeListener(\'data\', data)', '    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener(\'data\', data)'],
];

let patched = 0;
for (const rel of ['node_modules/postgres/src/connection.js', 'node_modules/postgres/cjs/src/connection.js']) {
  const file = path.join(root, rel);
  if (!fs.existsSync(file)) continue;
  let text = fs.readFileSync(file, 'utf8');
  if (text.includes(MARK)) continue;
  for (const [from, to] of replacements) {
    if (!text.includes(from)) {
      console.error(`patch-postgres: ${rel} does not contain the expected code; postgres.js changed — review scripts/patch-postgres.mjs`);
      process.exit(1);
    }
    text = text.replace(from, to);
  }
  fs.writeFileSync(file, text);
  patched++;
}
if (patched) console.log(`patch-postgres: guarded postgres.js nextWrite in ${patched} file(s)`);
