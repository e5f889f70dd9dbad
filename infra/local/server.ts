/**
 * The HTTP front door: one node:http server for Glue, EventBridge and SNS on the same endpoint (so
 * AWS_ENDPOINT_URL works for all three). Routing: `X-Amz-Target: AWSGlue.*` → Glue, `AWSEvents.*` →
 * EventBridge (both AWS JSON 1.1); a form body with `Action=` → SNS (AWS query); `/_local/*` → control API.
 * Every AWS call passes the fault injector, is logged in `calls`, and publishes its events only after its
 * response is written.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalEventBus } from './bus.js';
import type { CallLog, InjectedFault, ServiceName } from './call-log.js';
import { handleControl, type ControlDeps } from './control-api.js';
import { AwsServiceError, glueError, isAwsServiceError, snsError } from './errors.js';
import type { LocalEventBridge } from './eventbridge.js';
import type { FaultInjector } from './faults.js';
import type { LocalGlue } from './glue/local-glue.js';
import { headerValue, readBody, send } from './http-io.js';
import { JSON_11_CONTENT_TYPE, jsonErrorResponse, jsonSuccessBody, parseJsonBody } from './json-protocol.js';
import type { Prng } from './prng.js';
import { parseForm, queryErrorBody, querySuccessBody } from './query-protocol.js';
import type { LocalSns } from './sns.js';

export interface ServerDeps extends ControlDeps {
  readonly glue: LocalGlue;
  readonly sns: LocalSns;
  readonly eventBridge: LocalEventBridge;
  readonly bus: LocalEventBus;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  readonly requestIds: Prng;
}

type Protocol = 'json' | 'query';

interface RoutedCall {
  readonly service: ServiceName;
  readonly protocol: Protocol;
  readonly operation: string;
  /** Runs the operation; returns the response body. */
  readonly run: (requestId: string) => string;
}

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function serializationError(protocol: Protocol, message: string): AwsServiceError {
  return protocol === 'json'
    ? new AwsServiceError('SerializationException', message)
    : snsError.invalidParameter(`Invalid parameter: ${message}`);
}

/** Decides service + operation from the request, without running anything. */
function route(deps: ServerDeps, req: IncomingMessage, body: string): RoutedCall {
  const target = headerValue(req, 'x-amz-target');
  if (target !== undefined) {
    const dot = target.lastIndexOf('.');
    const prefix = target.slice(0, dot);
    const operation = target.slice(dot + 1);
    const parse = (): unknown => {
      try {
        return parseJsonBody(body);
      } catch {
        throw serializationError('json', 'Request body is not valid JSON');
      }
    };
    if (prefix === 'AWSGlue') {
      return {
        service: 'glue',
        protocol: 'json',
        operation,
        run: () => {
          if (!deps.glue.hasOperation(operation)) throw glueError.unknownOperation(target);
          return jsonSuccessBody(deps.glue.call(operation, parse()));
        },
      };
    }
    if (prefix === 'AWSEvents') {
      return {
        service: 'events',
        protocol: 'json',
        operation,
        run: () => jsonSuccessBody(deps.eventBridge.handle(operation, parse())),
      };
    }
    return {
      service: 'glue',
      protocol: 'json',
      operation: target,
      run: () => {
        throw glueError.unknownOperation(target);
      },
    };
  }
  const form = parseForm(body);
  const action = form.get('Action') ?? '';
  return {
    service: 'sns',
    protocol: 'query',
    operation: action === '' ? 'MissingAction' : action,
    run: (requestId) => {
      if (action === '') throw new AwsServiceError('MissingAction', 'The request must contain the parameter Action.');
      return querySuccessBody(action, deps.sns.handle(action, form), requestId);
    },
  };
}

function errorResponse(
  protocol: Protocol,
  error: AwsServiceError,
  requestId: string,
): { headers: Record<string, string>; body: string } {
  if (protocol === 'json') {
    const { headers, body } = jsonErrorResponse(error);
    return { headers: { ...headers, 'x-amzn-requestid': requestId }, body };
  }
  return { headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: queryErrorBody(error, requestId) };
}

function internalFailure(protocol: Protocol, service: ServiceName, error: unknown): AwsServiceError {
  const detail = error instanceof Error ? error.message : String(error);
  if (protocol === 'query') return new AwsServiceError('InternalError', `Local stack failure: ${detail}`, 500);
  return new AwsServiceError(service === 'events' ? 'InternalException' : 'InternalServiceException', `Local stack failure: ${detail}`, 500);
}

async function serveAws(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
  const call = route(deps, req, body);
  const requestId = deps.requestIds.uuid();
  const decision = deps.faults.decide(call.service, call.operation);
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);

  let status = 200;
  let headers: Record<string, string>;
  let responseBody: string;
  let errorCode: string | undefined;
  let fault: InjectedFault | undefined;
  const gate = deferred();
  try {
    if (decision.error !== undefined) {
      fault = decision.fault;
      throw decision.error;
    }
    responseBody = deps.bus.withGate(gate.promise, () => call.run(requestId));
    headers = {
      'content-type': call.protocol === 'json' ? JSON_11_CONTENT_TYPE : 'text/xml',
      'x-amzn-requestid': requestId,
    };
  } catch (caught: unknown) {
    const error = isAwsServiceError(caught) ? caught : internalFailure(call.protocol, call.service, caught);
    status = error.status;
    errorCode = error.code;
    ({ headers, body: responseBody } = errorResponse(call.protocol, error, requestId));
  }
  deps.calls.record({
    service: call.service,
    operation: call.operation,
    ok: errorCode === undefined,
    ...(errorCode === undefined ? {} : { error: errorCode }),
    status,
    ...(fault === undefined ? {} : { fault }),
    injectedLatencyMs: decision.latencyMs,
  });
  try {
    await send(res, status, headers, responseBody);
  } finally {
    gate.resolve();
  }
}

async function serveControl(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<void> {
  const gate = deferred();
  try {
    const { status, body: out } = deps.bus.withGate(gate.promise, () => handleControl(deps, req.method ?? 'GET', path, body));
    await send(res, status, { 'content-type': 'application/json' }, JSON.stringify(out));
  } finally {
    gate.resolve();
  }
}

/** The request listener for node:http. Never throws: every failure becomes an HTTP error response. */
export function createRequestListener(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const handle = async (): Promise<void> => {
      const path = new URL(req.url ?? '/', 'http://local').pathname;
      const body = await readBody(req);
      if (path.startsWith('/_local/') || path === '/_local') {
        await serveControl(deps, req, res, path, body);
        return;
      }
      await serveAws(deps, req, res, body);
    };
    handle().catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      send(res, 500, { 'content-type': 'application/json' }, JSON.stringify({ __type: 'InternalFailure', message })).catch(() => {
        res.destroy();
      });
    });
  };
}
