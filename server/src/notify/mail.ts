/**
 * Mail over SMTP with nodemailer (https://nodemailer.com/smtp/). Messages go out as UTF-8, so Thai subjects
 * and bodies arrive as written.
 */
import nodemailer from 'nodemailer';

export class MailConfigError extends Error {
  override name = 'MailConfigError';
}

/** A message the server refused or could not be handed over. */
export class MailSendError extends Error {
  override name = 'MailSendError';
  /** nodemailer's code: EAUTH, ECONNECTION, ETIMEDOUT, EENVELOPE, … */
  readonly code: string | null;
  /** The SMTP reply code, when the server answered. */
  readonly responseCode: number | null;
  /** A 5xx reply: sending the same message again will fail again. */
  readonly permanent: boolean;
  constructor(message: string, cause: { code?: string; responseCode?: number }) {
    super(message, { cause });
    this.code = cause.code ?? null;
    this.responseCode = cause.responseCode ?? null;
    this.permanent = this.responseCode !== null && this.responseCode >= 500 && this.responseCode < 600;
  }
}

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465, `smtps://`); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  pass?: string;
}

export interface MailerConfig extends SmtpSettings {
  /** The sender, as "Name <address>" or a bare address. */
  from: string;
  /** The limit for connecting, for the greeting and for each reply. */
  timeoutMs: number;
  /** Refuse to send over a plain connection when the server offers no STARTTLS; default false. */
  requireTls?: boolean;
  /** Check the server's certificate; default true. An internal relay with a self-signed one needs false. */
  rejectUnauthorized?: boolean;
}

export interface OutgoingMail {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  /** Hands the message to the server and returns its Message-ID; throws MailSendError. */
  send(mail: OutgoingMail): Promise<string>;
  /** Connects and authenticates without sending, to check the configuration at start; throws MailSendError. */
  verify(): Promise<void>;
  /** Closes the pooled connections. */
  close(): void;
}

function checkSettings(s: SmtpSettings): void {
  if (!s.host) throw new MailConfigError('SMTP host must not be empty');
  if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) throw new MailConfigError(`SMTP port must be 1 to 65535, got ${s.port}`);
  if (s.user !== undefined && s.pass === undefined) throw new MailConfigError(`SMTP user "${s.user}" needs a password`);
  if (s.user === undefined && s.pass !== undefined) throw new MailConfigError('an SMTP password needs a user');
}

const describeError = (e: unknown, where: string) => {
  const err = e as Error & { code?: string; responseCode?: number };
  return new MailSendError(`SMTP ${where}: ${err.message}`, err);
};

export function createMailer(config: MailerConfig): Mailer {
  checkSettings(config);
  if (!config.from.trim()) throw new MailConfigError('the sender (from) must not be empty');
  if (!Number.isInteger(config.timeoutMs) || config.timeoutMs <= 0) throw new MailConfigError(`SMTP timeout must be a positive number of ms, got ${config.timeoutMs}`);
  const where = `${config.host}:${config.port}`;
  const transport = nodemailer.createTransport({
    // A batch of alerts reuses a couple of connections instead of one handshake per message.
    pool: true,
    maxConnections: 2,
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireTls ?? false,
    auth: config.user !== undefined ? { user: config.user, pass: config.pass } : undefined,
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
    dnsTimeout: config.timeoutMs,
    tls: { rejectUnauthorized: config.rejectUnauthorized ?? true },
  });
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({ from: config.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
        return info.messageId;
      } catch (e) {
        throw describeError(e, `sending to ${[mail.to].flat().join(', ')} via ${where} failed`);
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (e) {
        throw describeError(e, `${where} cannot be used`);
      }
    },
    close() {
      transport.close();
    },
  };
}

/**
 * `smtp://user:pass@host:port` (STARTTLS when offered, port 587 unless given) or `smtps://…` (TLS, port 465),
 * user and password percent-encoded where they hold `@`, `:` or `/`; both optional, but not one without the other.
 */
export function parseSmtpUrl(text: string): SmtpSettings {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new MailConfigError(`SMTP URL must look like smtp://user:password@host:587 or smtps://host:465, got "${redact(text)}"`);
  }
  const secure = url.protocol === 'smtps:';
  if (!secure && url.protocol !== 'smtp:') throw new MailConfigError(`SMTP URL must start with smtp:// or smtps://, got "${url.protocol}//"`);
  if (!url.hostname) throw new MailConfigError('SMTP URL names no host');
  if ((url.pathname && url.pathname !== '/') || url.search || url.hash) {
    throw new MailConfigError(`SMTP URL takes no path or query, got "${redact(text)}"`);
  }
  let user: string | undefined;
  let pass: string | undefined;
  try {
    user = url.username ? decodeURIComponent(url.username) : undefined;
    pass = url.password ? decodeURIComponent(url.password) : undefined;
  } catch {
    throw new MailConfigError('SMTP URL user or password has a broken %-escape');
  }
  // IPv6 hosts come bracketed from URL; sockets want them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const settings: SmtpSettings = { host, port: url.port ? Number(url.port) : secure ? 465 : 587, secure };
  if (user !== undefined) settings.user = user;
  if (pass !== undefined) settings.pass = pass;
  checkSettings(settings);
  return settings;
}

/** The URL with its password hidden, for error messages that end up in logs. */
const redact = (text: string) => text.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
