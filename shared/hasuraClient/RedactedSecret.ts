import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A secret value (the Hasura admin secret) that cannot leak by accident: `String()`,
 * `JSON.stringify`, template literals and `util.inspect` (hence every logger) all print
 * `[redacted]`. Only {@link RedactedSecret.reveal} returns the value, and only the Hasura
 * client calls it, to set the request header.
 *
 * @example
 * const secret = new RedactedSecret(process.env.HASURA_ADMIN_SECRET ?? '');
 * logger.info('config', { secret }); // {"secret":"[redacted]"}
 */
export class RedactedSecret {
  readonly #value: string;

  public constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself; send it, never log it. */
  public reveal(): string {
    return this.#value;
  }

  /**
   * Replaces every occurrence of the secret in `text` (e.g. an upstream error message that
   * echoed a header) with `[redacted]`.
   */
  public scrub(text: string): string {
    return this.#value === '' ? text : text.split(this.#value).join(REDACTED);
  }

  public toString(): string {
    return REDACTED;
  }

  public toJSON(): string {
    return REDACTED;
  }

  public [inspect.custom](): string {
    return REDACTED;
  }
}
