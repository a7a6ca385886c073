import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Serves one PGlite instance to many PostgreSQL wire-protocol clients (the site's own pool and the
 * CLIs), so every part of the app talks to the embedded database through postgres.js exactly as it
 * talks to a server.
 *
 * Why not `@electric-sql/pglite-socket` as is: it queues single protocol messages, so two clients
 * using the extended protocol interleave Parse/Bind/Execute and destroy each other's unnamed
 * portal ("portal \"\" does not exist"). PGlite is one backend session, so we hand it whole batches
 * (everything up to Sync or a simple Query) and keep the backend with one client while that client
 * is inside a transaction or in the middle of an extended-query exchange.
 */
interface Client {
  id: number;
  socket: net.Socket;
  buffer: Buffer;
  started: boolean;
  closed: boolean;
}

interface Batch {
  client: Client;
  bytes: Uint8Array;
  /** True when the batch ends an exchange (Sync or simple Query); false after a Flush. */
  complete: boolean;
}

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSSENC_REQUEST = 80877104;

export interface PgliteServer {
  readonly path: string;
  readonly connections: number;
  close(): Promise<void>;
}

export async function servePglite(db: PGlite, socketPath: string): Promise<PgliteServer> {
  const clients = new Set<Client>();
  const queue: Batch[] = [];
  let owner: Client | null = null;
  let running = false;
  let nextId = 1;

  const pump = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      while (queue.length > 0) {
        const index = owner ? queue.findIndex((b) => b.client === owner) : 0;
        if (index < 0) break; // the owner's next batch has not arrived yet
        const [batch] = queue.splice(index, 1);
        const { client } = batch!;
        if (client.closed) continue;
        try {
          await db.runExclusive(() =>
            db.execProtocolRawStream(batch!.bytes, {
              onRawData: (chunk: Uint8Array) => {
                if (!client.closed) client.socket.write(chunk);
              },
            }),
          );
        } catch (err) {
          client.socket.destroy(err instanceof Error ? err : new Error(String(err)));
        }
        owner = !batch!.complete || db.isInTransaction() ? client : null;
        if (client.closed && owner === client) await release(client);
      }
    } finally {
      running = false;
    }
  };

  const release = async (client: Client): Promise<void> => {
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.client === client) queue.splice(i, 1);
    if (owner !== client) return;
    owner = null;
    if (db.isInTransaction()) await db.runExclusive(() => db.exec('ROLLBACK')).catch(() => undefined);
  };

  const onData = (client: Client, data: Buffer): void => {
    client.buffer = client.buffer.length ? Buffer.concat([client.buffer, data]) : data;
    const parts: Buffer[] = [];
    let offset = 0;
    const buf = client.buffer;
    while (buf.length - offset >= (client.started ? 5 : 8)) {
      if (!client.started) {
        const len = buf.readInt32BE(offset);
        if (buf.length - offset < len) break;
        const code = buf.readInt32BE(offset + 4);
        offset += len;
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          client.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          client.socket.end();
          return;
        }
        client.started = true;
        queue.push({ client, bytes: buf.subarray(offset - len, offset), complete: true });
        continue;
      }
      const type = String.fromCharCode(buf[offset]!);
      const len = buf.readInt32BE(offset + 1) + 1;
      if (buf.length - offset < len) break;
      const message = buf.subarray(offset, offset + len);
      offset += len;
      if (type === 'X') {
        client.socket.end();
        break;
      }
      parts.push(message);
      if (type === 'S' || type === 'Q' || type === 'H') {
        queue.push({ client, bytes: Buffer.concat(parts.splice(0)), complete: type !== 'H' });
      }
    }
    // Unfinished exchange: keep its messages with the unparsed tail until the Sync arrives.
    const rest = buf.subarray(offset);
    client.buffer = parts.length ? Buffer.concat([...parts, rest]) : Buffer.from(rest);
    void pump();
  };

  const server = net.createServer((socket) => {
    const client: Client = { id: nextId++, socket, buffer: Buffer.alloc(0), started: false, closed: false };
    clients.add(client);
    socket.setNoDelay(true);
    socket.on('data', (data) => onData(client, data));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      client.closed = true;
      clients.delete(client);
      void release(client).then(pump);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    path: socketPath,
    get connections() {
      return clients.size;
    },
    async close() {
      for (const c of clients) c.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      while (running) await new Promise((r) => setTimeout(r, 5));
    },
  };
}
