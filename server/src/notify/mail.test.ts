import { afterEach, describe, expect, it } from 'vitest';
import { budgetAlertMessage } from '../budgets/budget.ts';
import { closeSmtpServers, smtpServer } from '../../../tests/unit-support/smtp.ts';
import { createMailer, MailConfigError, MailSendError, parseSmtpUrl, type Mailer, type MailerConfig } from './mail.ts';

const mailers: Mailer[] = [];
afterEach(async () => {
  for (const m of mailers.splice(0)) m.close();
  await closeSmtpServers();
});

function mailer(config: Partial<MailerConfig> & { port: number }): Mailer {
  const m = createMailer({ host: '127.0.0.1', secure: false, from: 'HPC Accounting <billing@hpc.example.ac.th>', timeoutMs: 10_000, ...config });
  mailers.push(m);
  return m;
}

const alert = {
  account: 'ภาควิชาเคมี',
  periodLabel: 'FY2027',
  threshold: 80,
  spentSatang: 123_450n,
  limitSatang: 150_000n,
  projectedExhaustion: new Date('2027-01-19T17:00:00Z'),
  timeZone: 'Asia/Bangkok',
};

describe('createMailer against a real SMTP server', () => {
  it('delivers a Thai alert with from, to and subject intact', async () => {
    const smtp = await smtpServer();
    const m = mailer({ port: smtp.port });
    const message = budgetAlertMessage(alert, 'th');
    const id = await m.send({ to: 'head@chem.example.ac.th', ...message });
    expect(id).toMatch(/^<.+@.+>$/);
    expect(smtp.received).toHaveLength(1);
    const [{ mail, envelopeFrom, envelopeTo, user }] = smtp.received;
    expect(envelopeFrom).toBe('billing@hpc.example.ac.th');
    expect(envelopeTo).toEqual(['head@chem.example.ac.th']);
    expect(mail.from?.value).toEqual([{ address: 'billing@hpc.example.ac.th', name: 'HPC Accounting' }]);
    expect(mail.messageId).toBe(id);
    expect(mail.subject).toBe('[งบประมาณ] ภาควิชาเคมี ใช้งบประมาณ FY2027 ถึง 80% แล้ว');
    expect(mail.text).toContain('ใช้ไป 1,234.50 บาท จากวงเงิน 1,500.00 บาท (82%)');
    expect(mail.html).toContain('ภาควิชาเคมี');
    expect(user).toBeUndefined();
  });

  it('sends to several recipients at once', async () => {
    const smtp = await smtpServer();
    const m = mailer({ port: smtp.port });
    await m.send({ to: ['a@example.org', 'b@example.org'], subject: 'hello', text: 'plain only' });
    const [{ mail, envelopeTo }] = smtp.received;
    expect(envelopeTo).toEqual(['a@example.org', 'b@example.org']);
    expect(mail.html).toBe(false);
    expect(mail.text?.trim()).toBe('plain only');
  });

  describe('with AUTH', () => {
    const withAuth = () =>
      smtpServer({
        authOptional: false,
        // AUTH over plain text is acceptable on loopback only, which is all this server listens on.
        allowInsecureAuth: true,
        onAuth(auth, _session, callback) {
          if (auth.username === 'billing' && auth.password === 'p@ss:wörd') callback(null, { user: auth.username });
          else callback(new Error('Invalid username or password'));
        },
      });

    it('authenticates with user and password', async () => {
      const smtp = await withAuth();
      const m = mailer({ port: smtp.port, user: 'billing', pass: 'p@ss:wörd' });
      await m.verify();
      await m.send({ to: 'x@example.org', subject: 's', text: 't' });
      expect(smtp.received.map((d) => d.user)).toEqual(['billing']);
    });

    it('reports a refused login as a permanent EAUTH', async () => {
      const smtp = await withAuth();
      const m = mailer({ port: smtp.port, user: 'billing', pass: 'wrong' });
      const err = await m.send({ to: 'x@example.org', subject: 's', text: 't' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MailSendError);
      expect(err).toMatchObject({ code: 'EAUTH', responseCode: 535, permanent: true });
      expect((err as Error).message).toMatch(/^SMTP sending to x@example.org via 127.0.0.1:\d+ failed/);
      expect(smtp.received).toHaveLength(0);
    });

    it('is refused without credentials when the server requires them', async () => {
      const smtp = await withAuth();
      const m = mailer({ port: smtp.port });
      await expect(m.send({ to: 'x@example.org', subject: 's', text: 't' })).rejects.toBeInstanceOf(MailSendError);
      expect(smtp.received).toHaveLength(0);
    });
  });

  it('speaks TLS from the start on smtps, checking the certificate unless told not to', async () => {
    // smtp-server's built-in certificate is self-signed (and, by now, expired): either way not one to trust.
    const smtp = await smtpServer({ secure: true });
    const strict = mailer({ port: smtp.port, secure: true });
    await expect(strict.verify()).rejects.toThrow(/certificate|self[- ]signed/i);
    const relaxed = mailer({ port: smtp.port, secure: true, rejectUnauthorized: false });
    await relaxed.send({ to: 'x@example.org', subject: 's', text: 't' });
    expect(smtp.received.map((d) => d.secure)).toEqual([true]);
  });

  it('upgrades with STARTTLS when offered, and requireTls refuses a server that does not offer it', async () => {
    const offering = await smtpServer({ disabledCommands: [] });
    await mailer({ port: offering.port, rejectUnauthorized: false }).send({ to: 'x@example.org', subject: 's', text: 't' });
    expect(offering.received.map((d) => d.secure)).toEqual([true]);

    const plain = await smtpServer();
    await expect(mailer({ port: plain.port, requireTls: true }).verify()).rejects.toBeInstanceOf(MailSendError);
  });

  it('reports a server that is not there', async () => {
    const smtp = await smtpServer();
    await smtp.close();
    const err = await mailer({ port: smtp.port }).verify().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'MailSendError', code: 'ESOCKET', permanent: false });
  });

  it('refuses a configuration that cannot work', () => {
    expect(() => createMailer({ host: 'h', port: 25, secure: false, from: ' ', timeoutMs: 1000 })).toThrow(/sender/);
    expect(() => createMailer({ host: 'h', port: 25, secure: false, from: 'a@b', timeoutMs: 0 })).toThrow(/timeout/);
    expect(() => createMailer({ host: 'h', port: 70000, secure: false, from: 'a@b', timeoutMs: 1 })).toThrow(/port/);
    expect(() => createMailer({ host: 'h', port: 25, secure: false, user: 'u', from: 'a@b', timeoutMs: 1 })).toThrow(/needs a password/);
  });
});

describe('parseSmtpUrl', () => {
  it.each<[string, ReturnType<typeof parseSmtpUrl>]>([
    ['smtp://mail.example.ac.th', { host: 'mail.example.ac.th', port: 587, secure: false }],
    ['smtp://relay:25', { host: 'relay', port: 25, secure: false }],
    ['smtps://mail.example.ac.th', { host: 'mail.example.ac.th', port: 465, secure: true }],
    ['smtp://billing:s3cret@mail.example.ac.th:2525', { host: 'mail.example.ac.th', port: 2525, secure: false, user: 'billing', pass: 's3cret' }],
    ['smtps://billing%40hpc.example:p%40ss%3Aw%2Frd@mail:465/', { host: 'mail', port: 465, secure: true, user: 'billing@hpc.example', pass: 'p@ss:w/rd' }],
    ['smtp://[::1]:1025', { host: '::1', port: 1025, secure: false }],
  ])('%s', (url, expected) => {
    expect(parseSmtpUrl(url)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ['mail.example.ac.th', /must look like smtp:\/\/user:password@host:587/],
    ['http://mail.example.ac.th', /must start with smtp:\/\/ or smtps:\/\//],
    ['smtp://mail:99999', /must look like/],
    ['smtp://billing@mail', /user "billing" needs a password/],
    ['smtp://:secret@mail', /password needs a user/],
    ['smtp://mail/inbox', /no path or query/],
    ['smtp://mail?pool=true', /no path or query/],
    ['smtp://u:%E0%A4%A@mail', /broken %-escape/],
  ])('refuses %s', (url, message) => {
    expect(() => parseSmtpUrl(url)).toThrow(MailConfigError);
    expect(() => parseSmtpUrl(url)).toThrow(message);
  });

  it('keeps the password out of its errors', () => {
    expect(() => parseSmtpUrl('smtp://u:hunter2@mail/x')).toThrow(/smtp:\/\/u:\*\*\*@mail\/x/);
    expect(() => parseSmtpUrl('smtp://u:hunter2@mail/x')).not.toThrow(/hunter2/);
  });
});
