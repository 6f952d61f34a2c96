/**
 * What Hasura's `validate.py` does for one case: turn the case's headers into admin secret +
 * role headers (or an RS512 JWT in JWT mode), send it, and compare the status and the whole
 * body with object key order ignored and list order kept.
 */
import { type CryptoKey, SignJWT } from 'jose';
import type { FixtureCase } from './fixtureCorpus.js';

/** The Hasura under test. */
export interface Target {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  endpoint: string;
  /** Admin secret sent with setup files and admin cases. @default undefined */
  adminSecret?: string | undefined;
  /** RS512 private key: when set, cases with X-Hasura-Role are sent as a JWT. @default undefined */
  jwtKey?: CryptoKey | undefined;
}

/** The outcome of one case. */
export interface CaseResult {
  passed: boolean;
  status: number;
  body: unknown;
  reason?: string;
}

/** Deep equality with object key order ignored and list order kept (`json_ordered`). */
export const jsonEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => jsonEqual(item, b[i]))
    );
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (key) =>
        Object.hasOwn(b, key) &&
        jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
};

const adminHeaders = (target: Target): Record<string, string> =>
  target.adminSecret === undefined ? {} : { 'X-Hasura-Admin-Secret': target.adminSecret };

/** The harness's JWT: claims under Hasura's namespace, allowed roles [role], default role. */
const jwtFor = async (key: CryptoKey, headers: Record<string, string>): Promise<string> => {
  const claims: Record<string, unknown> = {};
  let role = '';
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'x-hasura-role') role = value;
    else claims[name] = value;
  }
  claims['X-Hasura-Allowed-Roles'] = [role];
  claims['X-Hasura-Default-Role'] = role;
  return new SignJWT({ 'https://hasura.io/jwt/claims': claims })
    .setProtectedHeader({ alg: 'RS512' })
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);
};

/** The headers a case is sent with. */
export const caseHeaders = async (
  target: Target,
  testCase: FixtureCase,
): Promise<Record<string, string>> => {
  const given: Record<string, string> = {};
  for (const [name, value] of Object.entries(testCase.headers ?? {})) given[name] = String(value);
  const hasRole = Object.keys(given).some((name) => name.toLowerCase() === 'x-hasura-role');
  if (target.jwtKey !== undefined && hasRole) {
    return { Authorization: `Bearer ${await jwtFor(target.jwtKey, given)}` };
  }
  return { ...adminHeaders(target), ...given };
};

/** POSTs JSON and returns status and parsed body (text when it is not JSON). */
export const postJson = async (
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
};

/** Runs a setup or teardown file (a `/v1/query` request) as admin; throws when it fails. */
export const runQueryFile = async (
  target: Target,
  query: unknown,
  label: string,
): Promise<void> => {
  const { status, body } = await postJson(
    `${target.endpoint}/v1/query`,
    query,
    adminHeaders(target),
  );
  if (status !== 200) {
    throw new Error(`${label} failed with HTTP ${status}: ${JSON.stringify(body)}`);
  }
};

/** Sends one case and compares it as the harness does. */
export const runCase = async (target: Target, testCase: FixtureCase): Promise<CaseResult> => {
  const headers = await caseHeaders(target, testCase);
  const { status, body } = await postJson(
    `${target.endpoint}${testCase.url}`,
    testCase.query,
    headers,
  );
  if (status !== testCase.status) {
    return { passed: false, status, body, reason: `HTTP ${status}, expected ${testCase.status}` };
  }
  const expected =
    testCase.allowed_responses?.map((allowed) => allowed.response) ??
    (testCase.response === undefined ? [] : [testCase.response]);
  if (expected.length === 0 || expected.some((response) => jsonEqual(body, response))) {
    return { passed: true, status, body };
  }
  return {
    passed: false,
    status,
    body,
    reason: `body differs: got ${JSON.stringify(body)}, expected ${JSON.stringify(expected[0])}`,
  };
};
