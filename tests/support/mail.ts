import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server for the tests (the `smtp-server` package on a free loopback port), every
 * message parsed with `mailparser`. `mode` makes it refuse recipients: 'down' answers 421 (try
 * later), 'reject' 550 (permanent).
 */
export interface MailSink {
  url: string;
  received: ParsedMail[];
  raw: string[];
  mode: 'up' | 'down' | 'reject';
  to(address: string): ParsedMail[];
  close(): Promise<void>;
}

export async function startMailSink(): Promise<MailSink> {
  const sink = { received: [] as ParsedMail[], raw: [] as string[], mode: 'up' as MailSink['mode'] };
  const server = new SMTPServer({
    secure: false, authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onRcptTo(_address, _session, callback) {
      if (sink.mode === 'down') return callback(Object.assign(new Error('Service not available, try later'), { responseCode: 421 }));
      if (sink.mode === 'reject') return callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then((mail) => {
          sink.raw.push(raw.toString('utf8'));
          sink.received.push(mail);
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(sink, {
    url: `smtp://127.0.0.1:${port}`,
    to: (address: string) => sink.received.filter((m) => [m.to].flat().some((a) => a?.value.some((v) => v.address?.toLowerCase() === address.toLowerCase()))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** A local stand-in for an HTTP SMS gateway: records each POST; `failWith` makes it answer that status. */
export interface SmsSink {
  url: string;
  received: Array<{ to: string; text: string; reference: string; authorization: string | null; idempotencyKey: string | null }>;
  failWith: number | null;
  to(phone: string): SmsSink['received'];
  close(): Promise<void>;
}

export async function startSmsSink(): Promise<SmsSink> {
  const sink = { received: [] as SmsSink['received'], failWith: null as number | null };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (sink.failWith) {
        res.writeHead(sink.failWith, { 'content-type': 'application/json' }).end('{"error":"gateway trouble"}');
        return;
      }
      const sms = JSON.parse(body) as { to: string; text: string; reference: string };
      sink.received.push({ ...sms, authorization: req.headers.authorization ?? null, idempotencyKey: (req.headers['idempotency-key'] as string) ?? null });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sms-${sink.received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(sink, {
    url: `http://127.0.0.1:${port}/sms`,
    to: (phone: string) => sink.received.filter((m) => m.to === phone),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  });
}
