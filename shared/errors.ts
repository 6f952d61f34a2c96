/**
 * The project's error hierarchy. Every class sets `name`, so the type guards below work across
 * realms (a bundled copy, a jest VM context) where `instanceof` would not.
 */

/** Base class of every error this project throws on purpose. */
export class SyncError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SyncError';
  }
}

/**
 * Configuration is missing or invalid. Thrown at cold start, naming the variable.
 *
 * @example
 * throw new ConfigurationError('EVENT_BUS_NAME is not set: give the name or ARN of the event bus');
 */
export class ConfigurationError extends SyncError {
  /** The environment variable (or option) at fault. */
  public readonly variable: string;

  public constructor(variable: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigurationError';
    this.variable = variable;
  }
}

/** An incoming event or message does not match its contract; retrying cannot fix it. */
export class InvalidEventError extends SyncError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidEventError';
  }
}

/** Type guard for {@link ConfigurationError}, by name so it works across realms. */
export const isConfigurationError = (error: unknown): error is ConfigurationError =>
  error instanceof Error && error.name === 'ConfigurationError';

/** Type guard for {@link InvalidEventError}, by name so it works across realms. */
export const isInvalidEventError = (error: unknown): error is InvalidEventError =>
  error instanceof Error && error.name === 'InvalidEventError';

/** A one-line description of any thrown value, for logs (never includes a stack). */
export const describeError = (error: unknown): string => {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
};
