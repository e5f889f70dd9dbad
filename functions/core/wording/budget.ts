/**
 * The one budgeted builder for what the guard publishes: whatever the number of findings or the length of a type,
 * an outcome event fits a PutEvents entry and an alert fits an SNS message, so no size of change can stop the
 * chat alert once the catalog was changed. Sizes are UTF-8 bytes, measured on the rendered text, never estimated.
 */

/**
 * PutEvents: "The total entry size must be less than 256KB", counted as the UTF-8 bytes of Source, DetailType,
 * Detail and each of Resources, plus 14 bytes for Time (EventBridge user guide, "Calculating Amazon EventBridge
 * PutEvents event entry size").
 */
export const PUT_EVENTS_ENTRY_LIMIT_BYTES = 262_144;
/** SNS Publish: "at most 256 KB in size (262,144 bytes, not 262,144 characters)", UTF-8. */
export const SNS_MESSAGE_LIMIT_BYTES = 262_144;
/**
 * What a rendered event or message may take: 16 KiB under the limits, for the Time field, the message attributes
 * and Subject that travel with an SNS message, and JSON escaping if a service ever counts the wire form.
 */
export const MESSAGE_BUDGET_BYTES = 245_760;
/** Time counts 14 bytes in a PutEvents entry, whether or not it is sent. */
const PUT_EVENTS_TIME_BYTES = 14;

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * A PutEvents entry's size as EventBridge computes it, with Detail counted as it travels inside the request
 * (JSON-escaped): never less than AWS's figure, so an entry within the budget is within the limit either way.
 */
export function putEventsEntryBytes(entry: { readonly source: string; readonly detailType: string; readonly detail: string; readonly resources: readonly string[] }): number {
  return (
    PUT_EVENTS_TIME_BYTES +
    byteLength(entry.source) +
    byteLength(entry.detailType) +
    byteLength(JSON.stringify(entry.detail)) +
    entry.resources.reduce((sum, resource) => sum + byteLength(resource), 0)
  );
}

/**
 * An SNS Publish's size as the limit counts it: the message, every attribute's name, type ("String") and value, and
 * (strict side: AWS does not say) the Subject.
 */
export function snsPublishBytes(message: { readonly subject: string; readonly body: string; readonly attributes: Readonly<Record<string, string>> }): number {
  return (
    byteLength(message.body) +
    byteLength(message.subject) +
    Object.entries(message.attributes).reduce((sum, [name, value]) => sum + byteLength(name) + byteLength('String') + byteLength(value), 0)
  );
}

/** Text longer than `max` characters cut with an ellipsis and its full length, e.g. `struct<a:int,…… (98,765 characters)`. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair.
  const end = max > 0 && isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}… (${text.length.toLocaleString('en')} characters)`;
}

/**
 * The part of `text` around `position` (at most `max` characters, two thirds before it), cuts marked with an ellipsis,
 * then the full length: what an error quotes of a type string that can be ~100,000 characters.
 */
export function excerptAround(text: string, position: number, max: number): string {
  if (text.length <= max) return text;
  let start = Math.max(0, Math.min(position - Math.floor((max * 2) / 3), text.length - max));
  if (start > 0 && isHighSurrogate(text.charCodeAt(start - 1))) start -= 1;
  let end = Math.min(text.length, start + max);
  if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''} (${text.length.toLocaleString('en')} characters)`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * The rendering of the most items that fits. `render(shown)` renders the whole message with the first `shown` of
 * `count` items (and says how many it left out); more items never render smaller, so the largest fitting prefix is
 * found by bisection, each candidate measured by `fits`. Undefined when not even zero items fit.
 */
export function largestFitting<T>(count: number, render: (shown: number) => T, fits: (rendered: T) => boolean): { readonly rendered: T; readonly shown: number } | undefined {
  const all = render(count);
  if (fits(all)) return { rendered: all, shown: count };
  let best: { rendered: T; shown: number } | undefined;
  let low = 0;
  let high = count - 1;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    const rendered = render(middle);
    if (fits(rendered)) {
      best = { rendered, shown: middle };
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return best;
}

/** How many findings each rule produced, in first-seen order. */
export function countsByRule(ruleIds: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of ruleIds) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}
