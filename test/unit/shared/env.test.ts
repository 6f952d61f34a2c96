import { describe, expect, it } from '@jest/globals';
import {
  boolean,
  integer,
  maybeString,
  optionalString,
  requireString,
  stringList,
  stringMap,
} from '../../../shared/env.js';

/** The error `read` throws, or a failure when it throws nothing. */
const thrownBy = (read: () => unknown): unknown => {
  try {
    read();
  } catch (error) {
    return error;
  }
  throw new Error('expected the reader to throw');
};

describe('Function: requireString', () => {
  it('returns the trimmed value', () => {
    // Prepare
    const env = { NAME: '  value  ' };

    // Act
    const value = requireString(env, 'NAME', 'give a name');

    // Assess
    expect(value).toBe('value');
  });

  it.each([undefined, '', '   '])(
    'throws a ConfigurationError naming the variable for %p',
    (raw) => {
      // Prepare
      const env = { NAME: raw };

      // Act
      const error = thrownBy(() => requireString(env, 'NAME', 'give a name'));

      // Assess
      expect(error).toMatchObject({
        name: 'ConfigurationError',
        variable: 'NAME',
        message: 'NAME is not set: give a name',
      });
    },
  );
});

describe('Function: optionalString', () => {
  it('returns the value, or the default when unset or blank', () => {
    // Prepare
    const envs = [{ NAME: 'set' }, {}, { NAME: ' ' }];

    // Act
    const values = envs.map((env) => optionalString(env, 'NAME', 'default'));

    // Assess
    expect(values).toStrictEqual(['set', 'default', 'default']);
  });
});

describe('Function: maybeString', () => {
  it('returns undefined when unset or blank', () => {
    // Prepare
    const envs = [{ NAME: 'set' }, {}, { NAME: '' }];

    // Act
    const values = envs.map((env) => maybeString(env, 'NAME'));

    // Assess
    expect(values).toStrictEqual(['set', undefined, undefined]);
  });
});

describe('Function: integer', () => {
  const range = { min: 1, max: 10 };

  it('reads an integer in range and defaults when unset', () => {
    // Prepare
    const envs = [{ N: '7' }, { N: ' 10 ' }, {}];

    // Act
    const values = envs.map((env) => integer(env, 'N', 5, range));

    // Assess
    expect(values).toStrictEqual([7, 10, 5]);
  });

  it.each(['0', '11', '2.5', 'ten', '1e1x'])('throws naming the variable for "%s"', (raw) => {
    // Prepare
    const env = { N: raw };

    // Act
    const error = thrownBy(() => integer(env, 'N', 5, range));

    // Assess
    expect(error).toMatchObject({
      name: 'ConfigurationError',
      variable: 'N',
      message: `N must be an integer from 1 to 10, got "${raw}"`,
    });
  });
});

describe('Function: stringList', () => {
  it('splits on commas, trims and drops blanks; defaults when unset', () => {
    // Prepare
    const envs = [{ L: ' a, b ,,c ' }, {}];

    // Act
    const values = envs.map((env) => stringList(env, 'L', ['x']));

    // Assess
    expect(values).toStrictEqual([['a', 'b', 'c'], ['x']]);
  });

  it('returns a copy of the default, never the default itself', () => {
    // Prepare
    const fallback = ['x'];

    // Act
    const value = stringList({}, 'L', fallback);

    // Assess
    expect(value).not.toBe(fallback);
    expect(value).toStrictEqual(fallback);
  });
});

describe('Function: stringMap', () => {
  it('reads a JSON object of strings and defaults when unset', () => {
    // Prepare
    const envs = [{ M: '{"admins":"admin","users":"user"}' }, {}];

    // Act
    const values = envs.map((env) => stringMap(env, 'M', { a: 'b' }));

    // Assess
    expect(values).toStrictEqual([{ admins: 'admin', users: 'user' }, { a: 'b' }]);
  });

  it.each(['{not json', '[]', '"text"', 'null', '{"a":1}'])(
    'throws naming the variable for %s',
    (raw) => {
      // Prepare
      const env = { M: raw };

      // Act
      const error = thrownBy(() => stringMap(env, 'M', {}));

      // Assess
      expect(error).toMatchObject({
        name: 'ConfigurationError',
        variable: 'M',
        message: expect.stringMatching(/^M (is not valid JSON|must be a JSON object)/),
      });
    },
  );
});

describe('Function: boolean', () => {
  it('reads true/false/1/0 in any case and defaults when unset', () => {
    // Prepare
    const raws = ['true', 'TRUE', '1', 'false', 'False', '0', undefined];

    // Act
    const values = raws.map((raw) => boolean({ B: raw }, 'B', true));

    // Assess
    expect(values).toStrictEqual([true, true, true, false, false, false, true]);
  });

  it('throws naming the variable for anything else', () => {
    // Prepare
    const env = { B: 'yes' };

    // Act
    const error = thrownBy(() => boolean(env, 'B', false));

    // Assess
    expect(error).toMatchObject({
      name: 'ConfigurationError',
      variable: 'B',
      message: 'B must be true or false, got "yes"',
    });
  });
});
