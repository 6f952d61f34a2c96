export {
  type AdminSecretProvider,
  type AdminSecretSource,
  createAdminSecretProvider,
} from './adminSecretProvider.js';
export {
  AMBIGUOUS_MAX_ATTEMPTS,
  attemptsFor,
  classifyHasuraAnswer,
  classifyHasuraError,
  type FailureReaction,
  HASURA_FAILURE_REACTIONS,
  isolatesRows,
  isSuccessfulAnswer,
} from './classifyHasuraError.js';
export {
  createHasuraClient,
  type HasuraClient,
  type HasuraClientOptions,
  type HasuraRequestOptions,
} from './createHasuraClient.js';
export {
  type GraphQLFetch,
  type GraphQLFetchInit,
  type GraphQLFetchResponse,
  graphqlFetchOver,
} from './graphqlFetch.js';
export {
  type HasuraFailureClass,
  HasuraRequestError,
  isHasuraRequestError,
} from './HasuraRequestError.js';
export {
  createHttpTransport,
  type FetchLike,
  fetchTransport,
  type HasuraHttpAnswer,
  type HasuraHttpRequest,
  type HasuraTransport,
  type HttpTransportOptions,
} from './httpTransport.js';
export { RedactedSecret } from './RedactedSecret.js';
export { type RequestBudget, secretWithin, startRequestBudget } from './requestBudget.js';
