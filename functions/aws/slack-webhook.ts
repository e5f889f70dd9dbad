/**
 * A Slack incoming webhook behind a one-method port, over Node's global fetch. The URL is a secret (it
 * alone lets anyone post to the channel): it never appears in an error message, and errors keep no
 * `cause` that could carry it into a log.
 */
import type { SlackMessage } from '../core/wording/slack-blocks.js';

export interface SlackWebhookPort {
  post(message: SlackMessage): Promise<void>;
}

/** Slack's error bodies are short codes (`invalid_blocks`, `channel_not_found`); anything longer is cut for the log. */
const MAX_ERROR_BODY = 500;
const DEFAULT_TIMEOUT_MS = 10_000;
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Slack answered with a non-2xx status (`status`, Slack's error code in `slackError`), or no answer came (`status` undefined). */
export class SlackWebhookError extends Error {
  override readonly name = 'SlackWebhookError';
  constructor(
    readonly status: number | undefined,
    readonly slackError: string,
    /** From Retry-After on a 429: seconds Slack asks to wait. */
    readonly retryAfterSeconds?: number,
  ) {
    super(status === undefined ? `Slack webhook request failed: ${slackError}` : `Slack webhook answered HTTP ${status}: ${slackError}`);
  }
}

/** The configured webhook URL cannot be used; says why without repeating it. */
export class SlackWebhookUrlError extends Error {
  override readonly name = 'SlackWebhookUrlError';
}

export interface SlackWebhookOptions {
  /** The webhook URL, or a function resolving it (e.g. from Parameter Store, cached) before each post. */
  readonly url: string | (() => Promise<string>);
  readonly fetch?: typeof globalThis.fetch;
  readonly timeoutMs?: number;
}

/** HTTPS only, except plain HTTP to this machine (tests, local stacks). */
function checkedUrl(url: string): string {
  const trimmed = url.trim();
  if (!URL.canParse(trimmed)) throw new SlackWebhookUrlError('the Slack webhook URL is not a URL (its value is not shown: it is a secret)');
  const parsed = new URL(trimmed);
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname))) return trimmed;
  throw new SlackWebhookUrlError(`the Slack webhook URL must use https (got ${parsed.protocol})`);
}

function failureReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  // undici reports the network problem in `cause` (ECONNREFUSED, ENOTFOUND host); the URL's secret path is in neither.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause !== undefined && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  return code ?? (error instanceof Error ? error.name : 'unknown error');
}

function retryAfter(response: Response): number | undefined {
  const value = Number(response.headers.get('retry-after') ?? Number.NaN);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function createSlackWebhook({ url, fetch = globalThis.fetch, timeoutMs = DEFAULT_TIMEOUT_MS }: SlackWebhookOptions): SlackWebhookPort {
  const resolve = typeof url === 'string' ? () => Promise.resolve(url) : url;
  return {
    async post(message) {
      const target = checkedUrl(await resolve());
      let response: Response;
      try {
        response = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new SlackWebhookError(undefined, failureReason(error, timeoutMs));
      }
      const body = await response.text().catch(() => '');
      if (response.ok) return;
      const slackError = body.trim().slice(0, MAX_ERROR_BODY) || response.statusText || 'no error body';
      throw new SlackWebhookError(response.status, slackError, retryAfter(response));
    },
  };
}
