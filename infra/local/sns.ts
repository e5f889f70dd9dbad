/**
 * SNS over the AWS query protocol (what @aws-sdk/client-sns 3.1169.0 sends): CreateTopic, Publish (Subject,
 * Message, MessageAttributes), ListTopics, DeleteTopic. Every accepted Publish is kept in `published`.
 */
import { z } from 'zod';
import { snsError } from './errors.js';
import type { Prng } from './prng.js';
import { readQueryList, readQueryMap, type XmlElement } from './query-protocol.js';
import { formatValidationIssues } from './validation.js';

export interface SnsMessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  /** Base64, as it travelled on the wire. */
  readonly BinaryValue?: string;
}

export interface SnsPublishedMessage {
  readonly messageId: string;
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  readonly messageStructure?: string;
  readonly messageAttributes: Readonly<Record<string, SnsMessageAttribute>>;
  readonly messageGroupId?: string;
  readonly at: Date;
}

export interface SnsTopic {
  readonly name: string;
  readonly arn: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

const MAX_MESSAGE_BYTES = 262_144;

/**
 * What counts toward the 256 KiB: the message and "all parts of the message attribute, including name, type, and
 * value" (SNS API reference, MessageAttributeValue). Whether the Subject counts is not documented: strict side, it does.
 */
function publishSizeBytes(req: { readonly Message: string; readonly Subject?: string | undefined; readonly MessageAttributes: readonly { readonly Name: string; readonly DataType: string; readonly StringValue?: string | undefined; readonly BinaryValue?: string | undefined }[] }): number {
  const bytes = (text: string | undefined): number => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));
  const attributes = req.MessageAttributes.reduce(
    (sum, a) => sum + bytes(a.Name) + bytes(a.DataType) + bytes(a.StringValue) + (a.BinaryValue === undefined ? 0 : Buffer.from(a.BinaryValue, 'base64').length),
    0,
  );
  return bytes(req.Message) + bytes(req.Subject) + attributes;
}
const MAX_MESSAGE_ATTRIBUTES = 10;

const topicNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,256}$|^[A-Za-z0-9_-]{1,251}\.fifo$/, {
  message: 'Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.',
});

const messageAttributeSchema = z
  .object({
    Name: z.string().min(1).max(256),
    DataType: z.string().regex(/^(String|Number|Binary|String\.Array)(\.[A-Za-z0-9_.-]+)?$/, {
      message: 'The message attribute type must be String, Number, Binary or String.Array (optionally with a custom suffix).',
    }),
    StringValue: z.string().optional(),
    BinaryValue: z.base64().optional(),
  })
  .refine((a) => (a.DataType.startsWith('Binary') ? a.BinaryValue !== undefined : a.StringValue !== undefined && a.StringValue !== ''), {
    message: 'The message attribute must contain a non-empty value of its type.',
  })
  .refine((a) => !a.DataType.startsWith('Number') || Number.isFinite(Number(a.StringValue)), {
    message: 'The message attribute of type Number must contain a numeric value.',
  });

const publishSchema = z.object({
  TopicArn: z.string().min(1, { message: 'Topic ARN is required' }),
  Message: z.string().min(1, { message: 'Empty message' }).refine((m) => Buffer.byteLength(m) <= MAX_MESSAGE_BYTES, {
    message: 'Message too long',
  }),
  // "Subjects must be ... less than 100 characters long" (SNS API reference, Publish).
  Subject: z
    .string()
    .min(1)
    .max(99)
    .regex(/^[\x20-\x7e]+$/, { message: 'Subject must be ASCII text without line breaks' })
    .optional(),
  MessageStructure: z.literal('json').optional(),
  MessageGroupId: z.string().max(128).optional(),
  MessageDeduplicationId: z.string().max(128).optional(),
  MessageAttributes: z.array(messageAttributeSchema).max(MAX_MESSAGE_ATTRIBUTES, {
    message: `Number of message attributes exceeds the limit of ${String(MAX_MESSAGE_ATTRIBUTES)}`,
  }),
});

function parseSns<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw snsError.invalidParameter(`Invalid parameter: ${formatValidationIssues(result.error.issues, input)}`);
  return result.data;
}

function optional(form: ReadonlyMap<string, string>, key: string): Record<string, string> {
  const value = form.get(key);
  return value === undefined ? {} : { [key]: value };
}

export class LocalSns {
  private readonly topicsByArn = new Map<string, SnsTopic>();
  private readonly publishedLog: SnsPublishedMessage[] = [];
  private readonly region: string;
  private readonly accountId: string;
  private readonly ids: Prng;

  constructor(options: { region: string; accountId: string; ids: Prng }) {
    this.region = options.region;
    this.accountId = options.accountId;
    this.ids = options.ids;
  }

  /** Every message accepted by Publish, oldest first. */
  get published(): readonly SnsPublishedMessage[] {
    return this.publishedLog;
  }

  get topics(): readonly SnsTopic[] {
    return [...this.topicsByArn.values()];
  }

  topicArn(name: string): string {
    return `arn:aws:sns:${this.region}:${this.accountId}:${name}`;
  }

  /** Creates (idempotently) a topic and returns its ARN. */
  createTopic(name: string, attributes: Readonly<Record<string, string>> = {}, tags: Readonly<Record<string, string>> = {}): string {
    const parsedName = parseSns(topicNameSchema, name);
    const fifo = parsedName.endsWith('.fifo');
    if ((attributes.FifoTopic === 'true') !== fifo) {
      throw snsError.invalidParameter('Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.');
    }
    const arn = this.topicArn(parsedName);
    const existing = this.topicsByArn.get(arn);
    if (existing === undefined) this.topicsByArn.set(arn, { name: parsedName, arn, attributes: { ...attributes }, tags: { ...tags } });
    return arn;
  }

  clear(): void {
    this.topicsByArn.clear();
    this.publishedLog.length = 0;
  }

  /** Serves one query-protocol action; returns the `<{Action}Result>` content. */
  handle(action: string, form: ReadonlyMap<string, string>): XmlElement | undefined {
    switch (action) {
      case 'CreateTopic':
        return this.createTopicAction(form);
      case 'Publish':
        return this.publishAction(form);
      case 'ListTopics':
        return this.listTopicsAction(form);
      case 'DeleteTopic':
        this.topicsByArn.delete(form.get('TopicArn') ?? '');
        return undefined;
      default:
        throw snsError.invalidAction(action);
    }
  }

  private createTopicAction(form: ReadonlyMap<string, string>): XmlElement {
    const name = form.get('Name');
    if (name === undefined) throw snsError.invalidParameter('Invalid parameter: Name');
    const attributes = Object.fromEntries(
      readQueryMap(form, 'Attributes').flatMap((e) => (e.name === undefined ? [] : [[e.name, e.value.Value ?? '']])),
    );
    const tags = Object.fromEntries(readQueryList(form, 'Tags').map((t) => [t.Key ?? '', t.Value ?? '']));
    return { TopicArn: this.createTopic(name, attributes, tags) };
  }

  private publishAction(form: ReadonlyMap<string, string>): XmlElement {
    const input = {
      TopicArn: form.get('TopicArn') ?? form.get('TargetArn') ?? '',
      ...optional(form, 'Message'),
      ...optional(form, 'Subject'),
      ...optional(form, 'MessageStructure'),
      ...optional(form, 'MessageGroupId'),
      ...optional(form, 'MessageDeduplicationId'),
      MessageAttributes: readQueryMap(form, 'MessageAttributes').map((e) => ({ Name: e.name, ...e.value })),
    };
    const req = parseSns(publishSchema, input);
    if (publishSizeBytes(req) > MAX_MESSAGE_BYTES) throw snsError.invalidParameter('Invalid parameter: Message too long');
    const topic = this.topicsByArn.get(req.TopicArn);
    if (topic === undefined) throw snsError.notFound('Topic does not exist');
    if (topic.name.endsWith('.fifo') && req.MessageGroupId === undefined) {
      throw snsError.invalidParameter('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    }
    if (req.MessageStructure === 'json') {
      let structured: unknown;
      try {
        structured = JSON.parse(req.Message);
      } catch {
        throw snsError.invalidParameter('Invalid parameter: Message Structure - JSON message body failed to parse');
      }
      if (structured === null || typeof structured !== 'object' || !Object.hasOwn(structured, 'default')) {
        throw snsError.invalidParameter('Invalid parameter: Message Structure - No default entry in JSON message body');
      }
    }
    const messageAttributes: Record<string, SnsMessageAttribute> = {};
    for (const a of req.MessageAttributes) {
      messageAttributes[a.Name] = {
        DataType: a.DataType,
        ...(a.StringValue === undefined ? {} : { StringValue: a.StringValue }),
        ...(a.BinaryValue === undefined ? {} : { BinaryValue: a.BinaryValue }),
      };
    }
    const messageId = this.ids.uuid();
    this.publishedLog.push({
      messageId,
      topicArn: req.TopicArn,
      ...(req.Subject === undefined ? {} : { subject: req.Subject }),
      message: req.Message,
      ...(req.MessageStructure === undefined ? {} : { messageStructure: req.MessageStructure }),
      messageAttributes,
      ...(req.MessageGroupId === undefined ? {} : { messageGroupId: req.MessageGroupId }),
      at: new Date(),
    });
    return { MessageId: messageId };
  }

  private listTopicsAction(form: ReadonlyMap<string, string>): XmlElement {
    const all = [...this.topicsByArn.keys()].sort();
    const offset = Number(form.get('NextToken') ?? '0');
    if (!Number.isInteger(offset) || offset < 0) throw snsError.invalidParameter('Invalid parameter: NextToken');
    const page = all.slice(offset, offset + 100);
    const next = offset + 100 < all.length ? String(offset + 100) : undefined;
    return { Topics: page.map((arn) => ({ TopicArn: arn })), NextToken: next };
  }
}
