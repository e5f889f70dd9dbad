/**
 * Typed errors for AWS calls. Every adapter failure that is not part of the port's contract (not-found →
 * undefined, stale VersionId → RestoreConflictError, ...) becomes an AwsCallError naming the IAM action,
 * so a missing permission or a broken endpoint reads as "glue:UpdateTable: ..." with the SDK error as `cause`.
 */

/** Error names AWS services use for a missing IAM permission (Glue / EventBridge, SNS, unmodeled forms). */
const ACCESS_DENIED_NAMES: ReadonlySet<string> = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'AuthorizationErrorException',
  'AuthorizationError',
]);

/** The `name` of an error-like value (SDK exceptions carry the service's error code there). */
export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An AWS call failed; `action` is the IAM action (`glue:UpdateTable`), `code` the service's error name. */
export class AwsCallError extends Error {
  override readonly name: string = 'AwsCallError';
  constructor(
    readonly action: string,
    readonly code: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The caller's role lacks the permission for `action`. */
export class AwsAccessDeniedError extends AwsCallError {
  override readonly name: string = 'AwsAccessDeniedError';
}

/** The README section that says which Lake Formation grants the guard and the CLI need. */
export const LAKE_FORMATION_SECTION = 'Lake Formation';

/** A denial Lake Formation made (Glue says "Insufficient Lake Formation permission(s) on …"), not IAM. */
const LAKE_FORMATION_DENIAL = /lake ?formation/i;

/** Wraps any failure of `action` in a typed error (an AwsCallError passes through unchanged). */
export function awsCallError(action: string, error: unknown): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const code = errorName(error);
  if (code !== undefined && ACCESS_DENIED_NAMES.has(code) && LAKE_FORMATION_DENIAL.test(errorMessage(error))) {
    return new AwsAccessDeniedError(
      action,
      code,
      `${action}: access denied by Lake Formation; the caller needs Lake Formation grants (DESCRIBE and ALTER on the guarded tables, or IAMAllowedPrincipals), see README "${LAKE_FORMATION_SECTION}" (${errorMessage(error)})`,
      { cause: error },
    );
  }
  if (code !== undefined && ACCESS_DENIED_NAMES.has(code)) {
    return new AwsAccessDeniedError(
      action,
      code,
      `${action}: access denied; the caller's IAM policy must allow "${action}" (${errorMessage(error)})`,
      { cause: error },
    );
  }
  return new AwsCallError(action, code, `${action} failed: ${code ?? 'Error'}: ${errorMessage(error)}`, { cause: error });
}

/** AWS answered with a shape the adapter cannot use (e.g. a Table without VersionId). */
export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
  constructor(
    readonly action: string,
    detail: string,
  ) {
    super(`${action}: unexpected response: ${detail}`);
  }
}

/** Restoring this version would be unsafe whatever the caller decided (e.g. it would move an Iceberg data pointer). */
export class RestoreRefusedError extends Error {
  override readonly name = 'RestoreRefusedError';
  constructor(
    readonly database: string,
    readonly table: string,
    readonly reason: string,
  ) {
    super(`refusing to restore ${database}.${table}: ${reason}`);
  }
}

/** EventBridge accepted the request but rejected the entry. */
export class EventRejectedError extends Error {
  override readonly name = 'EventRejectedError';
  constructor(
    readonly eventBusName: string,
    readonly detailType: string,
    readonly errorCode: string | undefined,
    readonly errorMessage: string | undefined,
  ) {
    super(
      `events:PutEvents rejected "${detailType}" on bus ${eventBusName}: ${errorCode ?? 'unknown error code'}: ${errorMessage ?? 'no message'}`,
    );
  }
}
