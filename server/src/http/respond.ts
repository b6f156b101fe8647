import type { ServerResponse } from 'node:http';
import { DomainError, type ErrorCode, HTTP_STATUS } from '../errors.ts';
import { sendJson } from './util.ts';

/**
 * The one JSON error shape of the plain routes (login, logout, /formula, exports):
 * `{ ok: false, code, message, ...details }`, with the HTTP status of the code.
 */
export function sendError(res: ServerResponse, error: DomainError | ErrorCode, message?: string) {
  const e = typeof error === 'string' ? new DomainError(error, message ?? error) : error;
  sendJson(res, HTTP_STATUS[e.code], { ok: false, code: e.code, message: e.message, ...e.details });
}

/** A DomainError answers with its code; anything else is left to the caller (logged, answered INTERNAL). */
export function sendIfDomainError(res: ServerResponse, error: unknown): boolean {
  if (!(error instanceof DomainError)) return false;
  sendError(res, error);
  return true;
}
