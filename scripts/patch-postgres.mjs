// Patches a known crash in postgres.js 3.4.9 (porsager/postgres#1154, #1208; fix proposed in
// #1176/#1209, not released): a small write is deferred with setImmediate, and if the connection
// closes first, `nextWrite` calls `socket.write` on null from a timer — an uncatchable exception
// that kills the whole server the moment the database drops a connection. Teardown also cancels
// the timer without resetting it, so a reused connection could never flush again.
//
// The guard settles the pending queries with CONNECTION_CLOSED (the caller gets a catchable error
// and the pool reconnects), and teardown resets the write state.
//
// Second, porsager/postgres#1181 (open, not released): the connection's row counter is reset only
// by CommandComplete, so a query that fails while its rows stream in (an error row, a statement
// timeout, or the server terminating the connection mid-result, which the outage test does)
// leaves it at k, and the next query on that connection — also after a reconnect, the counter
// lives with the pooled connection — resolves successfully with k leading holes: `rows[0]` is
// undefined, a product "not found", a count that throws. The counter is now reset on every
// ErrorResponse. A connection that dies mid-result (no ReadyForQuery) also kept that result's
// rows and its error: after the reconnect, the next query's answer kept the dead query's rows
// past its own, or the query failed with the dead one's "terminating connection" error. The
// socket's close now resets all three (tests/integration/db-driver.test.ts).
//
// Runs on `npm install` (postinstall); idempotent (each replacement is applied once); fails
// loudly if postgres.js changed so the patch no longer fits.
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
  ['  function ErrorResponse(x) {\n    if (query) {', '  function ErrorResponse(x) {\n    rows = 0 /* cho-ocop: porsager/postgres#1181 */\n    if (query) {'],
  ['  async function closed(hadError) {\n    incoming = Buffer.alloc(0)', '  async function closed(hadError) {\n    rows = 0, results = errorResponse = null, result = new Result() /* cho-ocop: porsager/postgres#1181, state of a dead connection */\n    incoming = Buffer.alloc(0)'],
];

let patched = 0;
for (const rel of ['node_modules/postgres/src/connection.js', 'node_modules/postgres/cjs/src/connection.js']) {
  const file = path.join(root, rel);
  if (!fs.existsSync(file)) continue;
  let text = fs.readFileSync(file, 'utf8');
  const before = text;
  for (const [from, to] of replacements) {
    if (text.includes(to)) continue;
    if (!text.includes(from)) {
      console.error(`patch-postgres: ${rel} does not contain the expected code; postgres.js changed — review scripts/patch-postgres.mjs`);
      process.exit(1);
    }
    text = text.replace(from, to);
  }
  if (text === before) continue;
  fs.writeFileSync(file, text);
  patched++;
}
if (patched) console.log(`patch-postgres: patched postgres.js (nextWrite guard, row counter reset) in ${patched} file(s)`);
