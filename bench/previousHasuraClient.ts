/**
 * The Hasura client as it was before graphql-request came back (issue 18), kept for the
 * benchmark only: `npm run bench` measures the consumer's CPU with it and with the shipped
 * client side by side in one run. A plain POST over the same transport, the same time budget
 * and the same classification; the only difference is graphql-request on the path.
 */
import {
  classifyHasuraAnswer,
  classifyHasuraError,
  isSuccessfulAnswer,
} from '../shared/hasuraClient/classifyHasuraError.js';
import type {
  HasuraClient,
  HasuraClientOptions,
  HasuraRequestOptions,
} from '../shared/hasuraClient/createHasuraClient.js';
import type { HasuraRequestError } from '../shared/hasuraClient/HasuraRequestError.js';
import { createHttpTransport } from '../shared/hasuraClient/httpTransport.js';
import type { RedactedSecret } from '../shared/hasuraClient/RedactedSecret.js';
import { secretWithin, startRequestBudget } from '../shared/hasuraClient/requestBudget.js';

const parseBody = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * The previous client: `JSON.stringify({ query, variables })` straight to the transport.
 *
 * @example
 * const hasura = createPreviousHasuraClient({ endpoint, adminSecret });
 */
export const createPreviousHasuraClient = (options: HasuraClientOptions): HasuraClient => {
  const timeoutMs = options.timeoutMs ?? 5000;
  const url = new URL(options.endpoint);
  const transport = options.transport ?? createHttpTransport();
  return {
    async request<T>(
      document: string,
      variables: Record<string, unknown>,
      requestOptions: HasuraRequestOptions = {},
    ): Promise<T> {
      let secret: RedactedSecret | undefined;
      const budget = startRequestBudget(timeoutMs, requestOptions.timeoutMs);
      let failure: HasuraRequestError;
      try {
        secret = await secretWithin(options.adminSecret, budget.signal);
        const answer = await transport({
          url,
          headers: {
            'content-type': 'application/json',
            'x-hasura-admin-secret': secret.reveal(),
          },
          body: JSON.stringify({ query: document, variables }),
          signal: budget.signal,
        });
        const body = parseBody(answer.body);
        if (isSuccessfulAnswer(answer.status, body)) return body.data as T;
        failure = classifyHasuraAnswer(answer.status, body, secret);
      } catch (error) {
        failure = classifyHasuraError(error, secret);
      } finally {
        budget.clear();
      }
      if (failure.code === 'access-denied') options.adminSecret.invalidate?.();
      throw failure;
    },
  };
};
