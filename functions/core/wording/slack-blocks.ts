/**
 * Slack Block Kit for teams without AWS Chatbot: the guard's alert (an AWS Chatbot custom notification,
 * rendered in functions/core/wording/alert.ts) parsed strictly, because a body Chatbot would drop must fail here
 * too rather than vanish, and re-rendered as an incoming-webhook payload within Block Kit's limits.
 * Lines are the unit of layout: a line is shown whole or counted in a summary line, so a word or a
 * `code span` is never cut.
 */
import * as z from 'zod/mini';
import { formatIssuePath } from '../errors.js';

/** Block Kit limits (Slack's reference) and the fallback text's own budget. */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3_000,
  fields: 10,
  fieldText: 2_000,
  contextElements: 10,
  contextText: 2_000,
  /** Before escaping; Slack truncates `text` at 40,000 characters, a notification shows far less. */
  fallbackText: 1_000,
} as const;

/** Sections kept for the parts that are not findings; findings get every block left over. */
const MAX_ACTION_SECTIONS = 5;
const MAX_NEXT_STEP_SECTIONS = 3;

const nonBlank = z.string().check(z.regex(/\S/, 'text that is not blank'));

/** Chatbot's custom notification schema, strict: an unknown key is a typo Chatbot would drop the message for. */
const chatbotNotification = z.strictObject({
  version: z.literal('1.0'),
  source: z.literal('custom'),
  id: z.optional(z.string()),
  content: z.strictObject({
    textType: z.optional(z.literal('client-markdown')),
    title: z.optional(z.string()),
    description: nonBlank,
    nextSteps: z.optional(z.array(z.string())),
    keywords: z.optional(z.array(z.string())),
  }),
  metadata: z.optional(
    z.strictObject({
      threadId: z.optional(z.string()),
      summary: z.optional(z.string()),
      eventType: z.optional(z.string()),
      relatedResources: z.optional(z.array(z.string())),
      additionalContext: z.optional(z.record(z.string(), z.string())),
      enableCustomActions: z.optional(z.boolean()),
    }),
  ),
});

export type ChatbotNotification = z.infer<typeof chatbotNotification>;

/** An alert body that is not a Chatbot custom notification: thrown, never dropped. */
export class MalformedAlertError extends Error {
  override readonly name = 'MalformedAlertError';
  constructor(
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`not an AWS Chatbot custom notification: ${problems.join('; ')}`, options);
  }
}

/** Parses an SNS message body as the guard publishes it (JSON text). */
export function parseChatbotNotification(body: string): ChatbotNotification {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new MalformedAlertError([`malformed JSON (${error instanceof Error ? error.message : String(error)})`], { cause: error });
  }
  const parsed = chatbotNotification.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new MalformedAlertError(
    parsed.error.issues.map((issue) => `${formatIssuePath(issue.path) || '(body)'}: ${issue.message}`),
    { cause: parsed.error },
  );
}

export interface PlainTextObject {
  readonly type: 'plain_text';
  readonly text: string;
  readonly emoji: true;
}

export interface MrkdwnObject {
  readonly type: 'mrkdwn';
  readonly text: string;
}

export type SlackBlock =
  | { readonly type: 'header'; readonly text: PlainTextObject }
  | { readonly type: 'section'; readonly text: MrkdwnObject }
  | { readonly type: 'section'; readonly fields: readonly MrkdwnObject[] }
  | { readonly type: 'context'; readonly elements: readonly MrkdwnObject[] };

/** An incoming-webhook payload: `text` is the notification / accessibility fallback. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/** Slack requires exactly these three escaped in mrkdwn; everything else is sent as is. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

interface Segment {
  readonly code: boolean;
  readonly text: string;
}

/** Splits a line into CommonMark code spans (a run of N backticks closed by a run of exactly N) and the rest. */
function segments(line: string): Segment[] {
  const out: Segment[] = [];
  let plain = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      plain += line.charAt(i);
      i += 1;
      continue;
    }
    let run = i;
    while (line[run] === '`') run += 1;
    const fence = line.slice(i, run);
    let close = line.indexOf(fence, run);
    while (close !== -1 && line[close + fence.length] === '`') {
      let after = close;
      while (line[after] === '`') after += 1;
      close = line.indexOf(fence, after);
    }
    if (close === -1) {
      plain += fence;
      i = run;
      continue;
    }
    if (plain !== '') out.push({ code: false, text: plain });
    plain = '';
    const inner = line.slice(run, close);
    const stripped = inner.length > 1 && inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() !== '' ? inner.slice(1, -1) : inner;
    out.push({ code: true, text: stripped });
    i = close + fence.length;
  }
  if (plain !== '') out.push({ code: false, text: plain });
  return out;
}

/** Slack has no escape for a backtick and single-backtick spans only: a literal one becomes a look-alike. */
const LOOKALIKE_BACKTICK = 'ˋ';

function codeSpan(text: string): string {
  return text === '' ? '' : `\`${escapeMrkdwn(text.replaceAll('`', LOOKALIKE_BACKTICK))}\``;
}

/** Placeholders for code spans and links while the rest of a line is converted (private-use characters, removed from input). */
const CODE_MARK = '\uE000';
const LINK_MARK = '\uE001';
const MARKS = /[\uE000\uE001]/g;

const LINK = /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g;

/** Markdown outside code spans → Slack mrkdwn: bold, strike-through, links, list bullets, headings; then escaped. */
function plainToMrkdwn(text: string, links: string[]): string {
  const withLinks = text.replaceAll(LINK, (_match, label: string, url: string) => {
    links.push(`<${escapeMrkdwn(url)}|${escapeMrkdwn(label.replaceAll('|', '¦'))}>`);
    return `${LINK_MARK}${links.length - 1}${LINK_MARK}`;
  });
  const converted = withLinks
    .replaceAll(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '*$1*')
    .replaceAll(/__(?=\S)(.+?)(?<=\S)__/g, '*$1*')
    .replaceAll(/~~(?=\S)(.+?)(?<=\S)~~/g, '~$1~')
    .replaceAll('`', LOOKALIKE_BACKTICK);
  return escapeMrkdwn(converted);
}

/** One line of Chatbot client-markdown as one line of Slack mrkdwn. */
export function toSlackMrkdwn(line: string): string {
  const clean = line.replaceAll(MARKS, '').trimEnd();
  const heading = /^#{1,6}\s+(.*)$/.exec(clean);
  const bullet = /^\s*[-*+]\s+(.*)$/.exec(clean);
  const body = heading?.[1] ?? bullet?.[1] ?? clean;
  const links: string[] = [];
  const codes: string[] = [];
  // Code spans are set aside first so that bold, links and escaping never reach into them.
  const masked = segments(body)
    .map((segment) => {
      if (!segment.code) return segment.text;
      codes.push(codeSpan(segment.text));
      return `${CODE_MARK}${codes.length - 1}${CODE_MARK}`;
    })
    .join('');
  const converted = plainToMrkdwn(masked, links)
    .replaceAll(/\uE001(\d+)\uE001/g, (_m, index: string) => links[Number(index)] ?? '')
    .replaceAll(/\uE000(\d+)\uE000/g, (_m, index: string) => codes[Number(index)] ?? '');
  if (heading !== null) return converted.trim() === '' ? '' : `*${converted.trim()}*`;
  if (bullet !== null) return `• ${converted}`;
  return converted;
}

/** Client-markdown → plain text for plain_text objects and the fallback: markers dropped, one line. */
export function toPlainText(text: string): string {
  return text
    .replaceAll(LINK, '$1')
    .replaceAll(/\*\*|__|~~|`/g, '')
    .replaceAll(/\s+/g, ' ')
    .trim();
}

/** Shortens at a word boundary and marks the cut with "…"; a single word longer than `max` is cut by code point. */
export function clipWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - 1;
  const boundary = text.lastIndexOf(' ', room);
  if (boundary > 0) return `${text.slice(0, boundary).trimEnd()}…`;
  let cut = '';
  for (const char of text) {
    if (cut.length + char.length > room) break;
    cut += char;
  }
  return `${cut}…`;
}

interface Line {
  readonly text: string;
  /** Counted as a finding in the summary line (a bullet of the first paragraph). */
  readonly finding: boolean;
}

interface Part {
  readonly heading?: string;
  readonly lines: readonly Line[];
  /** Findings the source already left out (alert.ts shows at most 10 and says how many more). */
  readonly alreadyOmitted: number;
  readonly summary: (findings: number, lines: number) => string;
}

function plural(count: number, noun: string): string {
  return `${count} more ${noun}${count === 1 ? '' : 's'}`;
}

function omittedText(findings: number, lines: number): string {
  return [findings > 0 ? plural(findings, 'finding') : '', lines > 0 ? plural(lines, 'line') : ''].filter((s) => s !== '').join(' and ');
}

/** Packs whole lines into as few section texts as fit, in order. */
function packSections(lines: readonly string[]): string[] {
  const sections: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current === '') current = line;
    else if (current.length + 1 + line.length <= SLACK_LIMITS.sectionText) current += `\n${line}`;
    else {
      sections.push(current);
      current = line;
    }
  }
  if (current !== '') sections.push(current);
  return sections;
}

/**
 * The sections for one part, at most `maxSections`: the longest prefix of its lines that fits together
 * with a summary of what was left out. A line longer than a section on its own is left out and counted.
 */
function renderPart(part: Part, maxSections: number): string[] {
  if (maxSections <= 0 || (part.lines.length === 0 && part.alreadyOmitted === 0)) return [];
  const fitting = part.lines.filter((line) => line.text.length <= SLACK_LIMITS.sectionText);
  const unfit = part.lines.filter((line) => line.text.length > SLACK_LIMITS.sectionText);
  const attempt = (shown: number): string[] | undefined => {
    const left = [...fitting.slice(shown), ...unfit];
    const findings = part.alreadyOmitted + left.filter((l) => l.finding).length;
    const others = left.length - left.filter((l) => l.finding).length;
    const summary = findings + others > 0 ? part.summary(findings, others) : undefined;
    if (summary !== undefined && summary.length > SLACK_LIMITS.sectionText) return undefined;
    const texts = [...(part.heading === undefined ? [] : [part.heading]), ...fitting.slice(0, shown).map((l) => l.text), ...(summary === undefined ? [] : [summary])];
    const sections = packSections(texts);
    return sections.length <= maxSections ? sections : undefined;
  };
  const all = attempt(fitting.length);
  if (all !== undefined) return all;
  // Fewer lines never need more sections, so search for the longest prefix that fits, then confirm it.
  let low = 0;
  let high = fitting.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (attempt(mid) === undefined) high = mid - 1;
    else low = mid;
  }
  for (let shown = low; shown >= 0; shown -= 1) {
    const sections = attempt(shown);
    if (sections !== undefined) return sections;
  }
  return [];
}

function field(label: string, value: string | undefined, code: boolean): MrkdwnObject | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = `*${label}*\n${code ? codeSpan(value) : escapeMrkdwn(toPlainText(value))}`;
  // A value too long for a field is left out rather than cut; the description names it too.
  return text.length <= SLACK_LIMITS.fieldText ? { type: 'mrkdwn', text } : undefined;
}

function contextElement(label: string, value: string | undefined, code: boolean): MrkdwnObject | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const shown = code ? codeSpan(value) : escapeMrkdwn(toPlainText(value));
  const text = label === '' ? shown : `${label} ${shown}`;
  return text.length <= SLACK_LIMITS.contextText ? { type: 'mrkdwn', text } : undefined;
}

const ALREADY_OMITTED = /^• …and (\d+) more\b/;

/** The description as the findings paragraph and the "what the guard did" lines. */
function splitDescription(description: string, incident: string | undefined): { findings: Part; actions: Part } {
  const paragraphs = description
    .replaceAll('\r\n', '\n')
    .split(/\n\s*\n/)
    .map((p) => p.split('\n').map(toSlackMrkdwn).filter((l) => l.trim() !== ''))
    .filter((p) => p.length > 0);
  const [first = [], ...rest] = paragraphs;
  let alreadyOmitted = 0;
  const findingLines: Line[] = [];
  for (const text of first) {
    const omitted = ALREADY_OMITTED.exec(text);
    if (omitted === null) findingLines.push({ text, finding: text.startsWith('• ') });
    else alreadyOmitted += Number(omitted[1]);
  }
  // The incident is a field of its own: its line in the description would only repeat it.
  const incidentLine = incident === undefined ? undefined : `Incident ${codeSpan(incident)}`;
  const actionLines = rest.flat().filter((text) => text !== incidentLine).map((text): Line => ({ text, finding: false }));
  return {
    findings: {
      lines: findingLines,
      alreadyOmitted,
      summary: (findings, lines) => `…and ${omittedText(findings, lines)}: run ${codeSpan('drift-guard diff')} to list them all`,
    },
    actions: {
      heading: '*What the guard did*',
      lines: actionLines,
      alreadyOmitted: 0,
      summary: (findings, lines) => `…and ${omittedText(findings, lines)}: the incident's EventBridge event has every detail`,
    },
  };
}

/**
 * The Slack webhook payload for one alert. `attributes` are the SNS message attributes the guard sets
 * (verdict, outcome, incident, database, table); the body alone renders too.
 */
export function renderSlackMessage(notification: ChatbotNotification, attributes: Readonly<Record<string, string>> = {}): SlackMessage {
  const { content, metadata } = notification;
  const context = metadata?.additionalContext ?? {};
  const database = context.database ?? attributes.database;
  const table = context.table ?? attributes.table;
  const incident = context.incidentId ?? attributes.incident ?? notification.id;
  const title = toPlainText(content.title ?? metadata?.summary ?? '') || 'glue-drift-guard alert';

  const fields = [
    field('Table', database === undefined || table === undefined ? (table ?? database) : `${database}.${table}`, true),
    field('Verdict', attributes.verdict, false),
    field('Outcome', attributes.outcome, false),
    field('Incident', incident, true),
  ].filter((f) => f !== undefined);
  const contextElements = [contextElement('Thread', metadata?.threadId, true), contextElement('', metadata?.eventType, false)].filter((e) => e !== undefined);

  const { findings, actions } = splitDescription(content.description, incident);
  const nextSteps: Part = {
    heading: '*Next steps*',
    lines: (content.nextSteps ?? [])
      .filter((step) => step.trim() !== '')
      .map((step): Line => ({ text: toSlackMrkdwn(`- ${step.replaceAll(/\s*\n\s*/g, ' ')}`), finding: false })),
    alreadyOmitted: 0,
    summary: (found, lines) => `…and ${omittedText(found, lines)}`,
  };

  const fixed = 1 + (fields.length > 0 ? 1 : 0) + (contextElements.length > 0 ? 1 : 0);
  let budget = SLACK_LIMITS.blocks - fixed;
  const actionSections = renderPart(actions, Math.min(MAX_ACTION_SECTIONS, budget - 1));
  budget -= actionSections.length;
  const nextStepSections = renderPart(nextSteps, Math.min(MAX_NEXT_STEP_SECTIONS, budget - 1));
  budget -= nextStepSections.length;
  const findingSections = renderPart(findings, budget);

  const section = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clipWords(title, SLACK_LIMITS.headerText), emoji: true } },
    ...(fields.length > 0 ? [{ type: 'section', fields: fields.slice(0, SLACK_LIMITS.fields) } as const] : []),
    ...findingSections.map(section),
    ...actionSections.map(section),
    ...nextStepSections.map(section),
    ...(contextElements.length > 0 ? [{ type: 'context', elements: contextElements.slice(0, SLACK_LIMITS.contextElements) } as const] : []),
  ];
  // Chatbot's own notification text is the summary; the title stands in when there is none.
  const fallback = toPlainText(metadata?.summary ?? '') || title;
  return { text: escapeMrkdwn(clipWords(fallback, SLACK_LIMITS.fallbackText)), blocks };
}
