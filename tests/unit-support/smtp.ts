import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface Delivery {
  mail: ParsedMail;
  envelopeFrom: string | false;
  envelopeTo: string[];
  user: string | undefined;
  secure: boolean;
}

const servers: SMTPServer[] = [];

/** A real SMTP server on a free loopback port that keeps every message it accepts, parsed; `close` stops it. */
export async function smtpServer(options: SMTPServerOptions = {}) {
  const received: Delivery[] = [];
  const server = new SMTPServer({
    authOptional: true,
    // Without TLS unless asked: the server's built-in certificate is self-signed.
    disabledCommands: ['STARTTLS'],
    logger: false,
    ...options,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            mail,
            envelopeFrom: session.envelope.mailFrom && session.envelope.mailFrom.address,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            user: session.user as string | undefined,
            secure: session.secure,
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  servers.push(server);
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { port: (server.server.address() as AddressInfo).port, received, close };
}

/** Stops every server smtpServer started (for afterEach/afterAll). */
export async function closeSmtpServers() {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
}
