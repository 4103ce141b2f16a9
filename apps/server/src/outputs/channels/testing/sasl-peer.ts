/**
 * A minimal scripted SMTP server for SASL mechanisms smtp-server does not speak (OAUTHBEARER, EXTERNAL,
 * ANONYMOUS): it advertises them, records each AUTH exchange, and accepts or refuses as told.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SaslPeer {
  hostport: string;
  /** Every client line after AUTH, in order, including the AUTH command itself. */
  authLines: string[];
  delivered: number;
  close(): Promise<void>;
}

export async function startSaslPeer(accept: (authCommand: string) => boolean): Promise<SaslPeer> {
  const authLines: string[] = [];
  let delivered = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    let inData = false;
    let awaitingSaslAck = false;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 sasl-peer ESMTP');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) !== -1) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            delivered++;
            reply('250 queued');
          }
          continue;
        }
        const verb = line.split(' ')[0]!.toUpperCase();
        if (awaitingSaslAck) {
          authLines.push(line);
          awaitingSaslAck = false;
          reply('535 5.7.8 Authentication credentials invalid');
        } else if (verb === 'EHLO') {
          reply('250-sasl-peer');
          reply('250 AUTH OAUTHBEARER EXTERNAL ANONYMOUS PLAIN');
        } else if (verb === 'AUTH') {
          authLines.push(line);
          if (accept(line)) {
            reply('235 2.7.0 Authentication successful');
          } else if (line.startsWith('AUTH OAUTHBEARER')) {
            // RFC 7628 §3.2.2: an error challenge, which the client must acknowledge.
            awaitingSaslAck = true;
            reply(`334 ${Buffer.from('{"status":"invalid_token"}').toString('base64')}`);
          } else {
            reply('535 5.7.8 Authentication credentials invalid');
          }
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 go ahead');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else {
          reply('250 ok');
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    hostport: `127.0.0.1:${port}`,
    authLines,
    get delivered() {
      return delivered;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
