import type { IncomingMessage, ServerResponse } from 'node:http';
import { login, type LoginDeps } from '../auth/login.ts';
import { blankSessionCookie, readCookie, SESSION_COOKIE, type SessionViewer, sessionCookie } from '../auth/sessions.ts';
import type { Config } from '../config.ts';
import type { Services } from '../services.ts';
import { appendSetCookie, csrfOk } from './csrf.ts';
import { sendError } from './respond.ts';
import { clientIp, readForm, redirect, sendJson, viaHttps, wantsJson } from './util.ts';

export interface AuthRouteDeps {
  config: Config;
  loginDeps: LoginDeps;
  services: Services;
  log: { warn: (obj: object, msg: string) => void };
}

/** POST /auth/login and /auth/logout: forms with a CSRF token, answered with redirects, or JSON for fetch. */
export function createAuthRoutes({ config, loginDeps, services, log }: AuthRouteDeps) {
  const ipOf = (req: IncomingMessage) => clientIp(req, config.trustProxy);
  /** Cookies are Secure when configured so, or when the browser came over HTTPS. */
  const secureFor = (req: IncomingMessage) => config.cookieSecure || viaHttps(req, config.trustProxy);

  function refuseCsrf(req: IncomingMessage, res: ServerResponse) {
    log.warn({ path: req.url, origin: req.headers.origin ?? null }, 'CSRF check failed');
    if (wantsJson(req)) return sendError(res, 'CSRF', 'Cross-site request refused');
    return redirect(res, '/csrf-error');
  }

  async function login_(req: IncomingMessage, res: ServerResponse) {
    const json = wantsJson(req);
    const form = await readForm(req);
    if (!csrfOk(req, form.csrf, config.trustProxy)) return refuseCsrf(req, res);
    const result = await login(loginDeps, form.username ?? '', form.password ?? '', {
      actor: null,
      ip: ipOf(req),
      userAgent: req.headers['user-agent'] ?? null,
      method: req.method ?? 'POST',
      path: '/auth/login',
    });
    if (!result.ok) {
      if (json) return sendJson(res, 401, result);
      return redirect(res, result.code === 'LOCKED' ? `/login?error=locked&retry=${result.retryAfterSeconds ?? 0}` : '/login?error=invalid');
    }
    // Everyone lands on the playground; a `next` parameter is ignored so a link cannot send a
    // freshly logged-in user somewhere else.
    appendSetCookie(res, sessionCookie(result.token, result.expiresAt, secureFor(req)));
    if (json) return sendJson(res, 200, { ok: true, redirect: '/playground' });
    return redirect(res, '/playground');
  }

  async function logout(req: IncomingMessage, res: ServerResponse, viewer: SessionViewer | null) {
    const form = await readForm(req);
    if (!csrfOk(req, form.csrf, config.trustProxy)) return refuseCsrf(req, res);
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) {
      await services.sessions.logout(token, viewer, {
        actor: viewer?.username ?? null,
        ip: ipOf(req),
        userAgent: req.headers['user-agent'] ?? null,
        method: 'POST',
        path: '/auth/logout',
      });
    }
    appendSetCookie(res, blankSessionCookie(secureFor(req)));
    if (wantsJson(req)) return sendJson(res, 200, { ok: true, redirect: '/login' });
    return redirect(res, '/login');
  }

  return { login: login_, logout };
}
