/**
 * One Powertools Logger per Lambda function, used as Powertools intends for a plain function handler (no
 * middy, no class decorator): the Lambda context added at the start of each invocation, the invocation's
 * keys appended once it is parsed and cleared when it ends — what `injectLambdaContext({ resetKeys: true })`
 * does around a class method — and a child logger per table for the guard core's `GuardLog.child`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions, LogLevel } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';
import type { GuardLog } from '../core/guard/guard.js';

/** One invocation's logging, as Powertools Logger does it (its own methods, so a Logger fits). */
export interface InvocationLog {
  /** The Lambda context (request id, function, cold start) on every line from now on. */
  addContext(context: Context): void;
  /** Keys on every line until `resetKeys`: the invocation's. */
  appendKeys(keys: Record<string, unknown>): void;
  resetKeys(): void;
}

export interface HandlerLog extends GuardLog, InvocationLog {
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/**
 * Powertools' Logger, except that a child reports its parent's cold start: Powertools gives each child its
 * own cold-start flag, so a child created on a warm invocation would log `cold_start: true`.
 */
class FunctionLogger extends Logger {
  #inheritedColdStart: boolean | undefined;
  #coldStart = false;

  protected override getColdStart(): boolean {
    this.#coldStart = this.#inheritedColdStart ?? super.getColdStart();
    return this.#coldStart;
  }

  protected override createLogger(options?: ConstructorOptions): Logger {
    const child = new FunctionLogger(options);
    child.#inheritedColdStart = this.#coldStart;
    return child;
  }
}

/** The function's one logger, created at cold start (the level from POWERTOOLS_LOG_LEVEL unless given). */
export function createFunctionLogger(serviceName: string, logLevel?: LogLevel): Logger {
  return new FunctionLogger(logLevel === undefined ? { serviceName } : { serviceName, logLevel });
}

/** The handler's and the core's log ports over a Powertools Logger; `child` is a Powertools child logger. */
export function functionLog(logger: Logger): HandlerLog {
  return {
    debug: (message, ...extra) => {
      logger.debug(message, ...extra);
    },
    info: (message, ...extra) => {
      logger.info(message, ...extra);
    },
    warn: (message, ...extra) => {
      logger.warn(message, ...extra);
    },
    error: (message, ...extra) => {
      logger.error(message, ...extra);
    },
    addContext: (context) => {
      logger.refreshSampleRateCalculation();
      logger.addContext(context);
    },
    appendKeys: (keys) => {
      logger.appendKeys(keys);
    },
    resetKeys: () => {
      logger.resetKeys();
    },
    child: (keys) => {
      // createChild copies the level, the persistent keys, the Lambda context and the invocation's keys.
      const child = logger.createChild();
      child.appendKeys(keys);
      return functionLog(child);
    },
  };
}

/**
 * Runs one invocation: the Lambda context on every line (when Lambda gives one; the local stack does not),
 * and whatever keys the invocation appended cleared when it ends, however it ends.
 */
export async function logInvocation<R>(log: InvocationLog, context: Context | undefined, run: () => Promise<R>): Promise<R> {
  if (context !== undefined) log.addContext(context);
  try {
    return await run();
  } finally {
    log.resetKeys();
  }
}
