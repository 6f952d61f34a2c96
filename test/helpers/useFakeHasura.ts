import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { type FakeHasura, insertedAll, startFakeHasura } from './fakeHasuraServer.js';

/**
 * One fake Hasura for a describe block: started before its tests, reset before each one (no
 * requests recorded, every row written) and stopped after them.
 *
 * @returns the fake; its properties may be read only inside hooks and tests.
 * @example
 * const fake = useFakeHasura();
 * it('writes in one request', async () => { … expect(fake.requests).toHaveLength(1); });
 */
export const useFakeHasura = (): FakeHasura => {
  let started: FakeHasura | undefined;
  const current = (): FakeHasura => {
    if (started === undefined) throw new Error('the fake Hasura is not started yet');
    return started;
  };

  beforeAll(async () => {
    started = await startFakeHasura(insertedAll);
  });

  beforeEach(() => {
    current().requests.length = 0;
    current().respondWith(insertedAll);
  });

  afterAll(async () => {
    await started?.stop();
  });

  return {
    get url() {
      return current().url;
    },
    get requests() {
      return current().requests;
    },
    respondWith: (responder) => current().respondWith(responder),
    stop: () => current().stop(),
  };
};
