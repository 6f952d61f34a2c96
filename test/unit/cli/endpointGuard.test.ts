import { describe, expect, it } from '@jest/globals';
import {
  AWS_DEFAULT_ENDPOINT,
  assertLocalEndpoints,
  isLoopbackEndpoint,
  simulateEndpoints,
} from '../../../cli/endpointGuard.js';

describe('Function: isLoopbackEndpoint', () => {
  it.each([
    'http://127.0.0.1:5000',
    'http://127.10.20.30:4566',
    'http://localhost:5000',
    'http://LOCALHOST',
    'http://[::1]:5000',
    'http://[0:0:0:0:0:0:0:1]:5000',
  ])('accepts %s', (endpoint) => {
    // Act & Assess
    expect(isLoopbackEndpoint(endpoint)).toBe(true);
  });

  it.each([
    'https://events.eu-west-1.amazonaws.com',
    'http://128.0.0.1:5000',
    'http://10.0.0.5:5000',
    'http://localhost.example.com:5000',
    'http://127.0.0.1.nip.io:5000',
    'http://sqs.us-east-1.localhost.localstack.cloud:4566',
    'http://[::2]:5000',
    'not a url',
    '',
  ])('rejects %s', (endpoint) => {
    // Act & Assess
    expect(isLoopbackEndpoint(endpoint)).toBe(false);
  });
});

describe('Function: simulateEndpoints', () => {
  it('uses the explicit endpoint for both clients', () => {
    // Act
    const endpoints = simulateEndpoints({
      endpoint: 'http://127.0.0.1:5000',
      env: { AWS_ENDPOINT_URL_SQS: 'https://sqs.eu-west-1.amazonaws.com' },
      queue: 'https://sqs.eu-west-1.amazonaws.com/123456789012/q',
    });

    // Assess
    expect(endpoints).toEqual(['http://127.0.0.1:5000']);
  });

  it('names AWS itself when no endpoint is set, and the host of a queue URL for SQS', () => {
    // Act
    const bare = simulateEndpoints({ env: {}, queue: 'cognito-hasura-sync-user-sync' });
    const withUrl = simulateEndpoints({
      env: { AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:5000' },
      queue: 'https://sqs.eu-west-1.amazonaws.com/123456789012/q',
    });

    // Assess
    expect(bare).toEqual([AWS_DEFAULT_ENDPOINT]);
    expect(withUrl).toEqual([
      'http://127.0.0.1:5000',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/q',
    ]);
  });
});

describe('Function: assertLocalEndpoints', () => {
  it('passes loopback endpoints', () => {
    // Act & Assess
    expect(assertLocalEndpoints(['http://127.0.0.1:5000', 'http://[::1]:5001'], false)).toEqual([]);
  });

  it('refuses a remote endpoint, naming it and --yes', () => {
    // Act & Assess
    expect(() =>
      assertLocalEndpoints(['http://127.0.0.1:5000', AWS_DEFAULT_ENDPOINT], false),
    ).toThrow(
      expect.objectContaining({
        name: 'RefusedError',
        override: '--yes',
        message: expect.stringMatching(
          /refuses to run against AWS \(no AWS_ENDPOINT_URL set\).*--yes/,
        ),
      }),
    );
  });

  it('returns the remote endpoints instead of throwing with --yes', () => {
    // Act & Assess
    expect(assertLocalEndpoints(['https://events.example.com'], true)).toEqual([
      'https://events.example.com',
    ]);
  });
});
