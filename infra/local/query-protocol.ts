/**
 * AWS query protocol (SNS, API version 2010-03-31), as @aws-sdk/client-sns 3.1169.0 speaks it
 * (AwsQueryProtocol): `POST /`, `Content-Type: application/x-www-form-urlencoded`,
 * body `Action=Publish&Version=2010-03-31&TopicArn=...&MessageAttributes.entry.1.Name=...`;
 * responses are XML `<{Action}Response><{Action}Result>...</{Action}Result><ResponseMetadata>...`,
 * errors are XML `<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>...`.
 */
import type { AwsServiceError } from './errors.js';

export const SNS_XML_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A tiny XML tree: element name → text, nested elements, or a list of `member` elements. */
export type XmlValue = string | XmlElement | XmlValue[];
export type XmlElement = { readonly [name: string]: XmlValue | undefined };

export function renderXml(value: XmlValue): string {
  if (typeof value === 'string') return escapeXml(value);
  if (Array.isArray(value)) return value.map((item) => `<member>${renderXml(item)}</member>`).join('');
  return Object.entries(value)
    .filter((entry): entry is [string, XmlValue] => entry[1] !== undefined)
    .map(([name, member]) => `<${name}>${renderXml(member)}</${name}>`)
    .join('');
}

export function querySuccessBody(action: string, result: XmlElement | undefined, requestId: string): string {
  const resultXml = result === undefined ? '' : `<${action}Result>${renderXml(result)}</${action}Result>`;
  return (
    `<${action}Response xmlns="${SNS_XML_NAMESPACE}">${resultXml}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function queryErrorBody(error: AwsServiceError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${SNS_XML_NAMESPACE}"><Error><Type>${error.fault}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

/** Form body → ordered key/value map (last value wins for a repeated key). */
export function parseForm(body: string): Map<string, string> {
  return new Map(new URLSearchParams(body).entries());
}

/**
 * Reads a query-protocol map: `Prefix.entry.N.Name` / `Prefix.entry.N.Value.<field>` (MessageAttributes) or
 * `Prefix.entry.N.key` / `Prefix.entry.N.value` (Attributes) into `[{ key, fields }]`, ordered by N.
 */
export function readQueryMap(
  form: ReadonlyMap<string, string>,
  prefix: string,
): { index: number; name: string | undefined; value: Record<string, string> }[] {
  const entries = new Map<number, { name: string | undefined; value: Record<string, string> }>();
  const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.entry\\.(\\d+)\\.(.+)$`);
  for (const [key, raw] of form) {
    const match = pattern.exec(key);
    if (match === null) continue;
    const index = Number(match[1]);
    const rest = match[2] ?? '';
    const entry = entries.get(index) ?? { name: undefined, value: {} };
    if (rest === 'Name' || rest === 'key') entry.name = raw;
    else if (rest === 'value') entry.value.Value = raw;
    else if (rest.startsWith('Value.')) entry.value[rest.slice('Value.'.length)] = raw;
    entries.set(index, entry);
  }
  return [...entries.entries()].sort((a, b) => a[0] - b[0]).map(([index, entry]) => ({ index, ...entry }));
}

/** Reads a query-protocol list of structures: `Prefix.member.N.<field>` → `[{ field: value }]`, ordered by N. */
export function readQueryList(form: ReadonlyMap<string, string>, prefix: string): Record<string, string>[] {
  const items = new Map<number, Record<string, string>>();
  const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.member\\.(\\d+)(?:\\.(.+))?$`);
  for (const [key, raw] of form) {
    const match = pattern.exec(key);
    if (match === null) continue;
    const index = Number(match[1]);
    const item = items.get(index) ?? {};
    item[match[2] ?? 'value'] = raw;
    items.set(index, item);
  }
  return [...items.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}
