import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Header the page's script sends the token in (the page itself takes it from `?token=`). */
export const TOKEN_HEADER = 'x-console-token';

/** A fresh random token (192 bits, URL-safe), printed once in the console's URL. */
export const newConsoleToken = (): string => randomBytes(24).toString('base64url');

/** Why a request is refused, or `undefined` when it may proceed. */
export interface Refusal {
  readonly status: 403 | 405 | 421;
  readonly reason: string;
}

const sameToken = (given: string | undefined, token: string): boolean => {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** The `host:port` values a loopback console answers to: anything else is DNS rebinding. */
export const allowedHosts = (port: number): readonly string[] => [
  `127.0.0.1:${port}`,
  `localhost:${port}`,
];

/**
 * Checks one request against the console's rules, before any route runs:
 * - `Host` must be the loopback address and port the console listens on (a page of another site
 *   that rebinds its DNS name to 127.0.0.1 sends its own name as `Host`);
 * - the token must be given, as `?token=` (the page) or in {@link TOKEN_HEADER} (its script);
 * - a state-changing request must be a POST carrying the token in the header (a cross-site form
 *   cannot set headers) and an `Origin` of the console itself.
 *
 * @example
 * const refusal = checkConsoleRequest(request, { token, port, changesState: route.post });
 * if (refusal) return send(response, refusal.status, refusal.reason);
 */
export const checkConsoleRequest = (
  request: Pick<IncomingMessage, 'headers' | 'method' | 'url'>,
  options: { readonly token: string; readonly port: number; readonly changesState: boolean },
): Refusal | undefined => {
  const hosts = allowedHosts(options.port);
  const host = request.headers.host ?? '';
  if (!hosts.includes(host)) {
    return { status: 421, reason: `Host "${host}" is not this console (${hosts.join(' or ')})` };
  }
  const url = new URL(request.url ?? '/', `http://${host}`);
  const header = request.headers[TOKEN_HEADER];
  const headerToken = Array.isArray(header) ? header[0] : header;
  if (options.changesState) {
    if (request.method !== 'POST') {
      return { status: 405, reason: 'actions must be POST requests' };
    }
    if (!sameToken(headerToken, options.token)) {
      return { status: 403, reason: `missing or wrong ${TOKEN_HEADER} header` };
    }
    const origin = request.headers.origin;
    if (origin === undefined || !hosts.map((h) => `http://${h}`).includes(origin)) {
      return { status: 403, reason: `Origin "${origin ?? '(none)'}" is not this console` };
    }
    return undefined;
  }
  if (!sameToken(headerToken ?? url.searchParams.get('token') ?? undefined, options.token)) {
    return { status: 403, reason: 'missing or wrong token: open the URL the console printed' };
  }
  return undefined;
};
