import * as z from 'zod/mini';
import { ConfigurationError } from './errors.js';

const StringMapSchema = z.record(z.string(), z.string());

/** The environment a config reader looks at; `process.env` unless a test passes its own. */
export type Env = Readonly<Record<string, string | undefined>>;

const present = (env: Env, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
};

/**
 * A variable that must be set.
 *
 * @param hint - what the variable should hold, appended to the error message.
 * @throws {@link ConfigurationError} naming the variable when it is unset or blank.
 */
export const requireString = (env: Env, name: string, hint: string): string => {
  const value = present(env, name);
  if (value === undefined) throw new ConfigurationError(name, `${name} is not set: ${hint}`);
  return value;
};

/** A variable with a default. */
export const optionalString = (env: Env, name: string, fallback: string): string =>
  present(env, name) ?? fallback;

/** A variable that may be absent (no default). */
export const maybeString = (env: Env, name: string): string | undefined => present(env, name);

/**
 * An integer variable within `[min, max]`.
 *
 * @throws {@link ConfigurationError} naming the variable when the value is not an integer in range.
 */
export const integer = (
  env: Env,
  name: string,
  fallback: number,
  range: { min: number; max: number },
): number => {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new ConfigurationError(
      name,
      `${name} must be an integer from ${range.min} to ${range.max}, got "${raw}"`,
    );
  }
  return value;
};

/** A comma-separated list variable; blanks are dropped. */
export const stringList = (env: Env, name: string, fallback: readonly string[]): string[] => {
  const raw = present(env, name);
  if (raw === undefined) return [...fallback];
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
};

/**
 * A JSON object variable whose values are all strings (e.g. a map of group → role).
 *
 * @throws {@link ConfigurationError} naming the variable when it is not such an object.
 */
export const stringMap = (
  env: Env,
  name: string,
  fallback: Readonly<Record<string, string>>,
): Record<string, string> => {
  const raw = present(env, name);
  if (raw === undefined) return { ...fallback };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ConfigurationError(name, `${name} is not valid JSON: expected an object of strings`, {
      cause: error,
    });
  }
  const map = StringMapSchema.safeParse(parsed);
  if (!map.success) {
    throw new ConfigurationError(name, `${name} must be a JSON object whose values are strings`);
  }
  return map.data;
};

/** A boolean variable: `true`/`false`/`1`/`0` (case-insensitive). */
export const boolean = (env: Env, name: string, fallback: boolean): boolean => {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  const lowered = raw.toLowerCase();
  if (lowered === 'true' || lowered === '1') return true;
  if (lowered === 'false' || lowered === '0') return false;
  throw new ConfigurationError(name, `${name} must be true or false, got "${raw}"`);
};
