import { describe, expect, it } from '@jest/globals';
import { pickAttributes } from '../../../../shared/publishing/userAttributes.js';

describe('Function: pickAttributes', () => {
  it('keeps only allow-listed attributes that the user has', () => {
    // Prepare
    const attributes = { sub: 's', email: 'a@example.com', phone_number: '+1', 'custom:x': 'y' };

    // Act
    const picked = pickAttributes(attributes, ['email', 'custom:x', 'name']);

    // Assess
    expect(picked).toStrictEqual({ email: 'a@example.com', 'custom:x': 'y' });
  });
});
