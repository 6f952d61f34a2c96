import { describe, expect, it } from '@jest/globals';
import {
  checkConsoleRequest,
  newConsoleToken,
  TOKEN_HEADER,
} from '../../../../cli/console/consoleAccess.js';

const TOKEN = 'tok_0123456789abcdef0123456789abcdef';
const PORT = 4100;

const request = (
  method: string,
  url: string,
  headers: Record<string, string | undefined>,
): Parameters<typeof checkConsoleRequest>[0] => ({ method, url, headers });

describe('Function: checkConsoleRequest', () => {
  it('lets the page load with the token in its URL', () => {
    // Act
    const refusal = checkConsoleRequest(
      request('GET', `/?token=${TOKEN}`, { host: `127.0.0.1:${PORT}` }),
      { token: TOKEN, port: PORT, changesState: false },
    );

    // Assess
    expect(refusal).toBeUndefined();
  });

  it.each([
    ['no token', request('GET', '/api/view', { host: `127.0.0.1:${PORT}` }), 403],
    ['a wrong token', request('GET', '/?token=nope', { host: `localhost:${PORT}` }), 403],
    [
      'a rebound host name',
      request('GET', `/?token=${TOKEN}`, { host: `attacker.example:${PORT}` }),
      421,
    ],
    ['another port', request('GET', `/?token=${TOKEN}`, { host: '127.0.0.1:80' }), 421],
  ])('refuses a read with %s', (_case, incoming, status) => {
    // Act
    const refusal = checkConsoleRequest(incoming, {
      token: TOKEN,
      port: PORT,
      changesState: false,
    });

    // Assess
    expect(refusal?.status).toBe(status);
  });

  it('admits an action only as a POST with the token header and the console as Origin', () => {
    // Prepare
    const good = {
      host: `127.0.0.1:${PORT}`,
      [TOKEN_HEADER]: TOKEN,
      origin: `http://127.0.0.1:${PORT}`,
    };
    const check = (method: string, headers: Record<string, string | undefined>) =>
      checkConsoleRequest(request(method, '/api/replay', headers), {
        token: TOKEN,
        port: PORT,
        changesState: true,
      })?.status;

    // Act
    const results = {
      ok: check('POST', good),
      get: check('GET', good),
      tokenInQueryOnly: checkConsoleRequest(
        request('POST', `/api/replay?token=${TOKEN}`, { ...good, [TOKEN_HEADER]: undefined }),
        { token: TOKEN, port: PORT, changesState: true },
      )?.status,
      foreignOrigin: check('POST', { ...good, origin: 'https://evil.example' }),
      noOrigin: check('POST', { ...good, origin: undefined }),
    };

    // Assess
    expect(results).toStrictEqual({
      ok: undefined,
      get: 405,
      tokenInQueryOnly: 403,
      foreignOrigin: 403,
      noOrigin: 403,
    });
  });
});

describe('Function: newConsoleToken', () => {
  it('makes a different URL-safe token of at least 32 characters each time', () => {
    // Act
    const tokens = new Set(Array.from({ length: 20 }, () => newConsoleToken()));

    // Assess
    expect(tokens.size).toBe(20);
    for (const token of tokens) expect(token).toMatch(/^[\w-]{32,}$/);
  });
});
