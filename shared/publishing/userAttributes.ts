/**
 * Helpers for the user attributes a publisher reads from Cognito (a trigger's
 * `request.userAttributes`, or a `ListUsers` / `AdminGetUser` answer): only allow-listed
 * attributes ever leave.
 */

/**
 * Copies the allow-listed attributes; the rest of the user's attributes never leave.
 *
 * @example
 * pickAttributes({ email: 'a@example.com', phone_number: '+1' }, ['email']); // { email: 'a@example.com' }
 */
export const pickAttributes = (
  userAttributes: Readonly<Record<string, string>>,
  allowList: readonly string[],
): Record<string, string> => {
  const picked: Record<string, string> = {};
  for (const name of allowList) {
    const value = userAttributes[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
};

/**
 * Problems of an unusable payload as `path: message` lines. zod 4 does not put input values in
 * issues, so attribute values never reach the logs this way.
 */
export const describeIssues = (error: {
  readonly issues: ReadonlyArray<{
    readonly path: readonly PropertyKey[];
    readonly message: string;
  }>;
}): string[] =>
  error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
