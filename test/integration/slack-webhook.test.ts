/**
 * The Slack webhook adapter over real HTTP: a tiny node:http server on 127.0.0.1 answers like Slack
 * (200 "ok", 400 "invalid_blocks", 429 with Retry-After), and the whole forwarder posts to it.
 */
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { SlackWebhookError, SlackWebhookUrlError, createSlackWebhook } from '../../functions/aws/slack-webhook.js';
import { SLACK_LIMITS, type SlackMessage } from '../../functions/core/wording/slack-blocks.js';
import type * as Forwarder from '../../functions/handlers/slack-forwarder.js';
import { sampleAlerts, snsEventFor } from '../fixtures/alerts/sample-alerts.js';

interface Received {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface FakeSlack {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

/** A local stand-in for hooks.slack.com: every request answered with `status` and `body`. */
async function startFakeSlack(status: number, body: string, headers: Record<string, string> = {}): Promise<FakeSlack> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method, path: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(status, { 'content-type': 'text/html', ...headers });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fake Slack server has no TCP address');
  const { port } = address;
  return {
    url: `http://127.0.0.1:${port}/services/T0000000/B0000000/secret-token-123`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
      }),
  };
}

/** What Slack reads of a webhook payload. */
const payload = z.object({ text: z.string(), blocks: z.array(z.looseObject({ type: z.string() })) });

const message: SlackMessage = { text: 'BLOCKED breaking schema change on sales.orders: 2 findings', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }] };

describe('Slack webhook adapter against a local HTTP server', () => {
  let slack: FakeSlack | undefined;
  afterEach(async () => {
    await slack?.close();
    slack = undefined;
  });

  it('2xx: posts the payload as JSON to the webhook path', async () => {
    // Prepare
    slack = await startFakeSlack(200, 'ok');
    const webhook = createSlackWebhook({ url: slack.url });
    // Act
    await webhook.post(message);
    // Assess
    expect(slack.received).toHaveLength(1);
    const [request] = slack.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/services/T0000000/B0000000/secret-token-123');
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(request?.body ?? '')).toEqual(message);
  });

  it("non-2xx: a typed error with the status and Slack's body, and never the URL", async () => {
    // Prepare
    slack = await startFakeSlack(400, 'invalid_blocks');
    const webhook = createSlackWebhook({ url: slack.url });
    // Act
    const error: unknown = await webhook.post(message).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(SlackWebhookError);
    expect(error).toMatchObject({ status: 400, slackError: 'invalid_blocks', message: 'Slack webhook answered HTTP 400: invalid_blocks' });
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('secret-token-123');
  });

  it('429: keeps the Retry-After Slack asks for', async () => {
    // Prepare
    slack = await startFakeSlack(429, 'rate_limited', { 'retry-after': '30' });
    const webhook = createSlackWebhook({ url: slack.url });
    // Act
    const act = webhook.post(message);
    // Assess
    await expect(act).rejects.toMatchObject({ name: 'SlackWebhookError', status: 429, slackError: 'rate_limited', retryAfterSeconds: 30 });
  });

  it('no server: a typed error without a status, and never the URL', async () => {
    // Prepare
    slack = await startFakeSlack(200, 'ok');
    const url = slack.url;
    await slack.close();
    slack = undefined;
    const webhook = createSlackWebhook({ url });
    // Act
    const error: unknown = await webhook.post(message).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(SlackWebhookError);
    expect(error).toMatchObject({ status: undefined, slackError: 'ECONNREFUSED' });
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('secret-token-123');
  });

  it.each([
    ['plain http to another host', 'http://hooks.slack.com/services/T0/B0/secret-token-123', /must use https \(got http:\)/],
    ['not a URL at all', 'secret-token-123', /is not a URL/],
  ])('refuses %s, without repeating it', async (_what, url, expected) => {
    // Prepare
    const fetch = vi.fn<typeof globalThis.fetch>();
    const webhook = createSlackWebhook({ url, fetch });
    // Act
    const error: unknown = await webhook.post(message).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(SlackWebhookUrlError);
    expect(String(error)).toMatch(expected);
    expect(String(error)).not.toContain('secret-token-123');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('resolves a URL function before each post (the cached Parameter Store read)', async () => {
    // Prepare
    slack = await startFakeSlack(200, 'ok');
    const target = slack.url;
    const url = vi.fn(() => Promise.resolve(target));
    const webhook = createSlackWebhook({ url });
    // Act
    await webhook.post(message);
    await webhook.post(message);
    // Assess
    expect(url).toHaveBeenCalledTimes(2);
    expect(slack.received).toHaveLength(2);
  });
});

describe('Slack forwarder end to end: SNS event → Block Kit → local HTTP server', () => {
  let slack: FakeSlack | undefined;
  afterEach(async () => {
    await slack?.close();
    slack = undefined;
    vi.unstubAllEnvs();
  });

  it('the alert with 70+ findings arrives as one Block Kit message within the limits', async () => {
    // Prepare
    slack = await startFakeSlack(200, 'ok');
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', '/glue-drift-guard/slack-webhook-url');
    const forwarder: typeof Forwarder = await import('../../functions/handlers/slack-forwarder.js');
    const logged: string[] = [];
    const log = { info: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };
    const handler = forwarder.createSlackForwarder({ webhook: createSlackWebhook({ url: slack.url }), log });
    const alert = sampleAlerts()['many-findings.json'];
    if (alert === undefined) throw new Error('no many-findings sample');
    // Act
    await handler(snsEventFor(alert));
    // Assess
    const posted = payload.parse(JSON.parse(slack.received[0]?.body ?? ''));
    expect(posted.text).toMatch(/^BLOCKED breaking schema change on .+: \d+ findings$/);
    const blocks = posted.blocks;
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'section', 'context']);
    expect(logged).toEqual(['alert forwarded to Slack']);
  });

  it("Slack's rejection fails the invocation with the status and Slack's error", async () => {
    // Prepare
    slack = await startFakeSlack(404, 'no_service');
    vi.stubEnv('SLACK_WEBHOOK_PARAMETER', '/glue-drift-guard/slack-webhook-url');
    const forwarder: typeof Forwarder = await import('../../functions/handlers/slack-forwarder.js');
    const handler = forwarder.createSlackForwarder({ webhook: createSlackWebhook({ url: slack.url }), log: { info: () => undefined, error: () => undefined } });
    const alert = sampleAlerts()['blocked.json'];
    if (alert === undefined) throw new Error('no blocked sample');
    // Act
    const act = handler(snsEventFor(alert));
    // Assess
    await expect(act).rejects.toMatchObject({ name: 'SlackWebhookError', status: 404, slackError: 'no_service' });
  });
});
