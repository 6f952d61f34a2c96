// Re-exports the consumer's building blocks for the local poller, the benchmarks and the CLI.
// `handler.ts` is deliberately not re-exported: it reads process.env at import time.
export {
  type CompiledColumnMap,
  compileColumnMap,
  DEFAULT_COLUMN_MAP,
  type RowShape,
  type UserRow,
  type UserWrite,
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
  type SyncDeleteMode,
  type SyncWriteMode,
  type UserSyncConfig,
} from './config.js';
export {
  createUserSyncHandler,
  type RecordFailureClass,
  type UserSyncDependencies,
  type UserSyncHandler,
} from './createUserSyncHandler.js';
export {
  createUserUpsert,
  TOMBSTONES_TABLE,
  type UpsertResult,
  type UserUpsert,
  type WriteCounts,
} from './createUserUpsert.js';
export { dedupeByUser, type UserGroup } from './dedupeByUser.js';
export {
  type ParsedSyncRecord,
  parseSyncRecord,
  type SyncRecordAcceptance,
} from './parseSyncRecord.js';
export { type Clock, retryTransient, systemClock } from './retryTransient.js';
export { type SyncOutcome, syncUserGroups } from './syncUserGroups.js';
