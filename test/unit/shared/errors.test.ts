import { describe, expect, it } from '@jest/globals';
import {
  ConfigurationError,
  describeError,
  InvalidEventError,
  isConfigurationError,
  isInvalidEventError,
  SyncError,
} from '../../../shared/errors.js';

describe('Class: ConfigurationError', () => {
  it('names the variable and chains the cause', () => {
    // Prepare
    const cause = new SyntaxError('Unexpected token');

    // Act
    const error = new ConfigurationError('X', 'X is not valid JSON', { cause });

    // Assess
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ name: 'ConfigurationError', variable: 'X', cause });
  });
});

describe('Function: isConfigurationError / isInvalidEventError', () => {
  it('recognises the errors by name, also across realms', () => {
    // Prepare
    const foreign = Object.assign(new Error('from another realm'), { name: 'InvalidEventError' });

    // Act
    const results = [
      isConfigurationError(new ConfigurationError('X', 'm')),
      isConfigurationError(new InvalidEventError('m')),
      isInvalidEventError(new InvalidEventError('m')),
      isInvalidEventError(foreign),
      isInvalidEventError({ name: 'InvalidEventError' }),
    ];

    // Assess
    expect(results).toStrictEqual([true, false, true, true, false]);
  });
});

describe('Function: describeError', () => {
  it('describes errors by name and message and other values as strings', () => {
    // Prepare
    const values: unknown[] = [new InvalidEventError('no sub'), 'plain', 42];

    // Act
    const descriptions = values.map(describeError);

    // Assess
    expect(descriptions).toStrictEqual(['InvalidEventError: no sub', 'plain', '42']);
  });
});
