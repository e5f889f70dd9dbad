/**
 * Errors the local stack returns on the wire. One class for all services: the protocol writers turn it into
 * an AWS JSON 1.1 error (`x-amzn-ErrorType` + `{"__type","message"}`) or an AWS query XML `<ErrorResponse>`.
 */
export class AwsServiceError extends Error {
  /** Error code as it appears on the wire (`EntityNotFoundException`, SNS `NotFound`, ...). */
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
  }

  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export function isAwsServiceError(value: unknown): value is AwsServiceError {
  return value instanceof AwsServiceError;
}

/** Glue error codes (all modeled in @aws-sdk/client-glue, so the SDK raises the typed class). */
export const glueError = {
  entityNotFound: (message: string) => new AwsServiceError('EntityNotFoundException', message),
  accessDenied: (message: string) => new AwsServiceError('AccessDeniedException', message),
  alreadyExists: (message: string) => new AwsServiceError('AlreadyExistsException', message),
  invalidInput: (message: string) => new AwsServiceError('InvalidInputException', message),
  validation: (message: string) => new AwsServiceError('ValidationException', message),
  concurrentModification: (message: string) => new AwsServiceError('ConcurrentModificationException', message),
  concurrentRunsExceeded: (message: string) => new AwsServiceError('ConcurrentRunsExceededException', message),
  illegalWorkflowState: (message: string) => new AwsServiceError('IllegalWorkflowStateException', message),
  crawlerRunning: (message: string) => new AwsServiceError('CrawlerRunningException', message),
  schedulerNotRunning: (message: string) => new AwsServiceError('SchedulerNotRunningException', message),
  schedulerRunning: (message: string) => new AwsServiceError('SchedulerRunningException', message),
  schedulerTransitioning: (message: string) => new AwsServiceError('SchedulerTransitioningException', message),
  noSchedule: (message: string) => new AwsServiceError('NoScheduleException', message),
  resourceNumberLimitExceeded: (message: string) => new AwsServiceError('ResourceNumberLimitExceededException', message),
  throttling: () => new AwsServiceError('ThrottlingException', 'Rate exceeded'),
  internal: () => new AwsServiceError('InternalServiceException', 'Internal service error (injected by the local stack)', 500),
  unknownOperation: (target: string) => new AwsServiceError('UnknownOperationException', `Unknown operation ${target}`),
};

/** EventBridge error codes. */
export const eventsError = {
  validation: (message: string) => new AwsServiceError('ValidationException', message),
  resourceNotFound: (message: string) => new AwsServiceError('ResourceNotFoundException', message),
  resourceAlreadyExists: (message: string) => new AwsServiceError('ResourceAlreadyExistsException', message),
  limitExceeded: (message: string) => new AwsServiceError('LimitExceededException', message),
  managedRule: (message: string) => new AwsServiceError('ManagedRuleException', message),
  throttling: () => new AwsServiceError('ThrottlingException', 'Rate exceeded'),
  internal: () => new AwsServiceError('InternalException', 'Internal service error (injected by the local stack)', 500),
  unknownOperation: (target: string) => new AwsServiceError('UnknownOperationException', `Unknown operation ${target}`),
};

/** SNS (AWS query protocol) error codes: the `awsQueryError` codes, not the SDK class names. */
export const snsError = {
  invalidParameter: (message: string) => new AwsServiceError('InvalidParameter', message),
  notFound: (message: string) => new AwsServiceError('NotFound', message, 404),
  throttled: () => new AwsServiceError('Throttled', 'Rate exceeded', 429),
  internal: () => new AwsServiceError('InternalError', 'Internal service error (injected by the local stack)', 500),
  invalidAction: (action: string) => new AwsServiceError('InvalidAction', `The action ${action} is not valid for this endpoint.`),
};

/** Default HTTP status for an error code given by name (fault injection's `failNext`). */
export function defaultStatusFor(code: string): number {
  if (code === 'Throttled') return 429;
  if (code === 'NotFound') return 404;
  if (/^Internal|ServiceUnavailable/.test(code)) return 500;
  return 400;
}
