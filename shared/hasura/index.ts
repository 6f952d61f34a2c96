export {
  type AdminSecretProvider,
  type AdminSecretSource,
  createAdminSecretProvider,
} from './adminSecretProvider.js';
export { classifyHasuraError } from './classifyHasuraError.js';
export {
  createHasuraClient,
  type HasuraClient,
  type HasuraClientOptions,
  type HasuraRequestOptions,
} from './createHasuraClient.js';
export {
  createKeepAliveFetch,
  type KeepAliveFetchOptions,
  type MinimalFetch,
} from './createKeepAliveFetch.js';
export {
  type HasuraFailureClass,
  HasuraRequestError,
  isHasuraRequestError,
} from './HasuraRequestError.js';
export { RedactedSecret } from './RedactedSecret.js';
