// Re-exports the consumer's building blocks for the local poller, the benchmarks and the CLI.
// `handler.ts` is deliberately not re-exported: it reads process.env at import time.
export {
  type CompiledColumnMap,
  compileColumnMap,
  DEFAULT_COLUMN_MAP,
  type UserRow,
} from './columnMap.js';
export {
  type ComposedUserSync,
  composeUserSync,
  USER_SYNC_SERVICE,
  type UserSyncComposeOptions,
} from './compose.js';
export {
  DEFAULT_MAX_CLOCK_SKEW_MS,
  loadUserSyncConfig,
  type RetrySettings,
  type SyncWriteMode,
  type UserSyncConfig,
} from './config.js';
export {
  createUserSyncHandler,
  type RecordFailureClass,
  type UserSyncDependencies,
  type UserSyncHandler,
} from './createUserSyncHandler.js';
export { createUserUpsert, type UpsertResult, type UserUpsert } from './createUserUpsert.js';
export { compareEvents, dedupeByUser, type UserGroup } from './dedupeByUser.js';
export {
  type ParsedSyncRecord,
  parseSyncRecord,
  type SyncRecordAcceptance,
} from './parseSyncRecord.js';
export { type Clock, retryTransient, systemClock } from './retryTransient.js';
export { type SyncOutcome, syncUserGroups } from './syncUserGroups.js';
