import type { Env } from '../shared/env.js';

/**
 * Dummy credentials for a local endpoint when the environment has none (no `AWS_ACCESS_KEY_ID`,
 * no `AWS_PROFILE`): moto accepts any, and the SDK's credential chain would fail without them.
 * Spread into a client's configuration.
 */
export const localCredentials = (
  env: Env,
): { credentials?: { accessKeyId: string; secretAccessKey: string } } =>
  env.AWS_ACCESS_KEY_ID !== undefined || env.AWS_PROFILE !== undefined
    ? {}
    : { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
