/** The hexadecimal digits Cognito's subs (UUIDs, lowercase) start with. */
const HEX = '0123456789abcdef';

/** Deepest partitioning: 256 partitions of the sub space. */
export const MAX_PREFIX_LENGTH = 2;

/**
 * The partitions of the sub space: every hexadecimal prefix of `length` digits (`['']`, the
 * whole pool, for 0; 16 for 1; 256 for 2). Each is listed with ListUsers' `sub ^= "<prefix>"`
 * filter and scanned in the table with `id LIKE '<prefix>%'`, so a partition's state is all a
 * run holds at once.
 *
 * @throws {@link RangeError} for a length outside 0–2.
 */
export const subPrefixes = (length: number): string[] => {
  if (!Number.isInteger(length) || length < 0 || length > MAX_PREFIX_LENGTH) {
    throw new RangeError(`prefix length must be 0 to ${MAX_PREFIX_LENGTH}, got ${length}`);
  }
  let prefixes = [''];
  for (let digit = 0; digit < length; digit += 1) {
    prefixes = prefixes.flatMap((prefix) => [...HEX].map((hex) => `${prefix}${hex}`));
  }
  return prefixes;
};

/** Users per partition above which the next depth is chosen. */
export const USERS_PER_PARTITION = 100_000;

/**
 * The partitioning for a pool of `estimatedUsers`: one pass for small pools (fewest calls), 16
 * partitions up to 1.6 million users, 256 beyond, so a partition stays under
 * {@link USERS_PER_PARTITION} users.
 */
export const prefixLengthFor = (estimatedUsers: number | undefined): number => {
  if (estimatedUsers === undefined || estimatedUsers <= USERS_PER_PARTITION) return 0;
  return estimatedUsers <= USERS_PER_PARTITION * 16 ? 1 : 2;
};
