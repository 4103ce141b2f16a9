/** Test peer: a real SMTP server (smtp-server) on 127.0.0.1, parsing what it receives with mailparser. */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  mail: ParsedMail;
  raw: string;
  envelopeFrom: string;
  envelopeTo: string[];
  /** The session was encrypted (STARTTLS or implicit TLS). */
  secure: boolean;
  user: string | undefined;
}

export interface SmtpPeer {
  hostport: string;
  mails: ReceivedMail[];
  /** Number of TCP connections accepted so far. */
  connections: () => number;
  /** The next DATA commands get this error (SMTP code and text), or hang when `'hang'`. */
  failData(reply: { code: number; message: string } | 'hang' | undefined): void;
  close(): Promise<void>;
}

export interface SmtpPeerOptions {
  tls?: { key: Buffer; cert: Buffer };
  /** Without it, any credentials are refused; AUTH is optional for clients either way. */
  users?: Record<string, string>;
  authMethods?: string[];
  /** Implicit TLS from the first byte (needs `tls`), as on port 465. */
  implicitTls?: boolean;
  port?: number;
}

export async function startSmtpPeer(options: SmtpPeerOptions = {}): Promise<SmtpPeer> {
  const mails: ReceivedMail[] = [];
  let connections = 0;
  let dataReply: { code: number; message: string } | 'hang' | undefined;
  const config: SMTPServerOptions = {
    logger: false,
    authOptional: true,
    allowInsecureAuth: true,
    authMethods: options.authMethods ?? ['PLAIN', 'LOGIN'],
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : { disabledCommands: ['STARTTLS'] }),
    ...(options.implicitTls ? { secure: true } : {}),
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onAuth(auth, _session, callback) {
      const expected = options.users?.[auth.username ?? ''];
      if (expected !== undefined && auth.password === expected) {
        callback(null, { user: auth.username });
      } else {
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const reply = dataReply;
        if (reply === 'hang') return;
        if (reply) {
          callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((mail) => {
            mails.push({
              mail,
              raw,
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              secure: session.secure,
              user: typeof session.user === 'string' ? session.user : undefined,
            });
            callback();
          })
          .catch((error: unknown) => callback(error as Error));
      });
    },
  };
  const server = new SMTPServer(config);
  await new Promise<void>((resolve, reject) => {
    server.on('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    hostport: `127.0.0.1:${port}`,
    mails,
    connections: () => connections,
    failData(reply) {
      dataReply = reply;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
