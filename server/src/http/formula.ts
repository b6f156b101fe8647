import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SessionViewer } from '../auth/sessions.ts';
import type { Config } from '../config.ts';
import type { Services } from '../services.ts';
import { csrfOk } from './csrf.ts';
import { sendError } from './respond.ts';
import { clientIp, readForm, sendJson } from './util.ts';

interface RateRow {
  tier: string;
  cpuPerHour: string;
  gpuPerHour: string;
  memGBPerHour: string;
  updatedAt: Date;
}

/** The rates as the previous application's /formula served them, plus the exact decimal text. */
const shape = (r: RateRow) => ({
  type: r.tier,
  cpu: Number(r.cpuPerHour),
  gpu: Number(r.gpuPerHour),
  mem: Number(r.memGBPerHour),
  cpuPerHour: r.cpuPerHour,
  gpuPerHour: r.gpuPerHour,
  memGBPerHour: r.memGBPerHour,
  unit: 'THB/hour',
  updatedAt: r.updatedAt.toISOString(),
});

/** GET /formula for anyone; POST /formula (admins, same-origin JSON with the CSRF token) changes a tier's rates. */
export function createFormulaRoute(config: Config, services: Services) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL, viewer: SessionViewer | null) => {
    if (req.method === 'GET') return sendJson(res, 200, shape(await services.rates.get(url.searchParams.get('type') ?? 'mu')));
    if (!viewer) return sendError(res, 'UNAUTHENTICATED', 'Log in first');
    if (viewer.role !== 'admin') return sendError(res, 'FORBIDDEN', 'Only admins change rates');
    if (!(req.headers['content-type'] ?? '').includes('application/json') || !csrfOk(req, undefined, config.trustProxy)) {
      return sendError(res, 'CSRF', 'Cross-site request refused: send JSON from this site');
    }
    const body = await readForm(req);
    const tier = body.type ?? url.searchParams.get('type') ?? '';
    // The rates service publishes the change to `rateChanged` subscribers, as updateRate does.
    const rate = await services.rates.update(
      { tier, cpuPerHour: body.cpu ?? body.cpuPerHour ?? '', gpuPerHour: body.gpu ?? body.gpuPerHour ?? '', memGBPerHour: body.mem ?? body.memGBPerHour ?? '' },
      { actor: viewer.username, ip: clientIp(req, config.trustProxy), userAgent: req.headers['user-agent'] ?? null, method: 'POST', path: '/formula' },
    );
    return sendJson(res, 200, shape(rate));
  };
}
