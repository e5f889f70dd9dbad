/**
 * AWS JSON 1.1 (Glue, EventBridge): `POST /`, `X-Amz-Target: <Service>.<Operation>`,
 * `Content-Type: application/x-amz-json-1.1`. Timestamps travel as epoch seconds (numbers).
 * Errors: HTTP 4xx/5xx, header `x-amzn-ErrorType: <Code>`, body `{"__type": "<Code>", "message": "..."}`.
 */
import type { AwsServiceError } from './errors.js';

export const JSON_11_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Converts model values to their wire form: Date → epoch seconds; drops undefined members. */
export function toJsonWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toJsonWire);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) out[key] = toJsonWire(member);
    }
    return out;
  }
  return value;
}

export function jsonSuccessBody(output: unknown): string {
  return JSON.stringify(toJsonWire(output ?? {}));
}

export function jsonErrorResponse(error: AwsServiceError): { headers: Record<string, string>; body: string } {
  return {
    headers: { 'content-type': JSON_11_CONTENT_TYPE, 'x-amzn-errortype': error.code },
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}

/** Parses a JSON 1.1 request body; an empty body is `{}` (the SDK sends `{}` for empty inputs). */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  return JSON.parse(text);
}
