import type { Config } from '../config.ts';
import { createMailer, type Mailer, parseSmtpUrl } from '../notify/mail.ts';
import { sendWebhook } from '../notify/webhook.ts';
import type { AlertChannels } from './store.ts';

/**
 * The alert channels the configuration names: the signed webhook (ALERT_WEBHOOK_URL) and SMTP (SMTP_URL). The mailer
 * is made on first use and kept, so its pooled connection is reused across alerts; `close` ends it.
 */
export function alertChannels(config: Config): AlertChannels & { close(): void } {
  const { webhook, mail, locale } = config.alerts;
  let mailer: Mailer | null = null;
  return {
    locale,
    webhook: webhook
      ? (event, payload) => sendWebhook({ url: webhook.url, secret: webhook.secret, event, payload, maxAttempts: 3, timeoutMs: 10_000 })
      : undefined,
    mail: mail
      ? async (to, message) => {
          mailer ??= createMailer({ ...parseSmtpUrl(mail.smtpUrl), from: mail.from, timeoutMs: 15_000 });
          return mailer.send({ to, ...message });
        }
      : undefined,
    close() {
      mailer?.close();
      mailer = null;
    },
  };
}
