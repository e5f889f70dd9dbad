import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChatbotNotification,
  MalformedAlertError,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackMessage,
  clipWords,
  parseChatbotNotification,
  renderSlackMessage,
  toPlainText,
  toSlackMrkdwn,
} from '../../functions/core/wording/slack-blocks.js';
import { LONG_DATABASE, LONG_TABLE, readAlertFixture, sampleAlerts, toFixture } from '../fixtures/alerts/sample-alerts.js';

function render(name: string): SlackMessage {
  const alert = sampleAlerts()[name];
  if (alert === undefined) throw new Error(`no sample alert ${name}`);
  return renderSlackMessage(parseChatbotNotification(alert.body), alert.attributes);
}

function sectionTexts(message: SlackMessage): string[] {
  return message.blocks.flatMap((block) => (block.type === 'section' && 'text' in block ? [block.text.text] : []));
}

function fieldsOf(message: SlackMessage): string[] {
  return message.blocks.flatMap((block) => (block.type === 'section' && 'fields' in block ? block.fields.map((f) => f.text) : []));
}

/** Every Block Kit limit the renderer promises, checked on one message: the list of what is over or empty. */
function limitViolations(message: SlackMessage): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  check(message.blocks.length <= SLACK_LIMITS.blocks, `${message.blocks.length} blocks`);
  check(message.text.trim() !== '', 'empty fallback text');
  message.blocks.forEach((block, i) => {
    for (const { text, max } of textsOf(block)) {
      check(text.length <= max, `block ${i} (${block.type}): ${text.length} > ${max} characters`);
      check(text.trim() !== '', `block ${i} (${block.type}): empty text`);
    }
    check(textsOf(block).length > 0, `block ${i} (${block.type}): nothing in it`);
    if (block.type === 'section' && 'fields' in block) check(block.fields.length <= SLACK_LIMITS.fields, `block ${i}: ${block.fields.length} fields`);
    if (block.type === 'context') check(block.elements.length <= SLACK_LIMITS.contextElements, `block ${i}: ${block.elements.length} elements`);
  });
  return problems;
}

function textsOf(block: SlackBlock): { text: string; max: number }[] {
  switch (block.type) {
    case 'header':
      return [{ text: block.text.text, max: SLACK_LIMITS.headerText }];
    case 'section':
      return 'text' in block ? [{ text: block.text.text, max: SLACK_LIMITS.sectionText }] : block.fields.map((f) => ({ text: f.text, max: SLACK_LIMITS.fieldText }));
    case 'context':
      return block.elements.map((e) => ({ text: e.text, max: SLACK_LIMITS.contextText }));
  }
}

describe('Slack blocks: the sample alerts are what the guard publishes', () => {
  it.each(Object.keys(sampleAlerts()))('%s equals the renderers’ output', (name) => {
    // Prepare
    const alert = sampleAlerts()[name];
    // Act
    const stored = readAlertFixture(name);
    // Assess: a change to alert.ts shows up here; regenerate the fixture from sample-alerts.ts.
    expect(alert === undefined ? undefined : toFixture(alert)).toEqual(stored);
  });
});

describe('Slack blocks: a realistic blocked alert', () => {
  it('header, fields, findings, what the guard did, next steps and thread, in that order', () => {
    // Prepare
    const incident = sampleAlerts()['blocked.json']?.attributes.incident ?? '';
    // Act
    const message = render('blocked.json');
    // Assess
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'section', 'context']);
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: ':no_entry: Breaking schema change blocked on sales.orders', emoji: true } });
    expect(fieldsOf(message)).toEqual(['*Table*\n`sales.orders`', '*Verdict*\nbreaking', '*Outcome*\nblocked', `*Incident*\n\`${incident}\``]);
    const [findings, actions, nextSteps] = sectionTexts(message);
    expect(findings).toBe(
      [
        'Crawler `sales-orders-crawler` wrote Glue version 1 of `sales.orders`, judged against contract v1 (consumer-safe, parquet):',
        '• Column `amount` changed type decimal(10,2) → string (TYPE_CHANGED)',
        '• Column `currency` (string) removed (COLUMN_REMOVED)',
      ].join('\n'),
    );
    expect(actions).toBe(
      [
        '*What the guard did*',
        'Restored the schema of Glue version 0 (the newest one contract v1 accepts).',
        'Paused workflow `sales-nightly`: stopped triggers `sales-nightly-schedule`, `sales-nightly-after-crawl`; stopped run `wr_4f0c2a9d1e7b`; disabled EventBridge rule `sales-landing-starts-nightly`.',
      ].join('\n'),
    );
    // The incident line is not repeated: it is a field.
    expect(actions).not.toContain('Incident');
    expect(nextSteps?.split('\n')[0]).toBe('*Next steps*');
    expect(nextSteps).toContain(`• If the change is intended: \`drift-guard approve sales.orders --incident ${incident} --reviewer &lt;you&gt; --reason "&lt;why&gt;"\``);
    expect(nextSteps).toContain('`drift-guard resume sales.orders --keep-current`');
    expect(message.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'Thread `glue-drift-guard/sales.orders`' },
        { type: 'mrkdwn', text: 'Glue Schema Drift Blocked' },
      ],
    });
    expect(message.text).toBe('BLOCKED breaking schema change on sales.orders: 2 findings');
    expect(limitViolations(message)).toEqual([]);
  });

  it('renders from the body alone when the message attributes are missing', () => {
    // Prepare
    const alert = sampleAlerts()['blocked.json'];
    // Act
    const message = renderSlackMessage(parseChatbotNotification(alert?.body ?? ''));
    // Assess: table and incident come from the body; verdict and outcome only travel as attributes.
    expect(fieldsOf(message)).toEqual(['*Table*\n`sales.orders`', `*Incident*\n\`${alert?.attributes.incident ?? ''}\``]);
  });

  it('an allowed alert has no "what the guard did" section; a resumed one has no next steps', () => {
    // Act
    const allowed = render('allowed.json');
    const resumed = render('resumed.json');
    // Assess
    expect(sectionTexts(allowed).some((t) => t.startsWith('*What the guard did*'))).toBe(false);
    expect(sectionTexts(allowed).join('\n')).toContain('• Column `channel` (string) added at the end (COLUMN_ADDED_AT_END, info)');
    expect(fieldsOf(allowed)).toContain('*Outcome*\nallowed');
    expect(sectionTexts(resumed).some((t) => t.startsWith('*Next steps*'))).toBe(false);
    expect(sectionTexts(resumed)[0]).toMatch(/^Incident `dg-[0-9a-f]{12}` on `sales.orders` is resolved/);
    expect(fieldsOf(resumed)).toContain('*Outcome*\nresumed');
    expect(limitViolations(allowed)).toEqual([]);
    expect(limitViolations(resumed)).toEqual([]);
  });
});

describe('Slack blocks: 70+ findings and names near Glue’s 255-character limit', () => {
  it('keeps every limit, shows the findings Chatbot shows and counts the rest in one summary line', () => {
    // Prepare
    const body = parseChatbotNotification(sampleAlerts()['many-findings.json']?.body ?? '');
    const total = Number(/: (\d+) findings$/.exec(body.metadata?.summary ?? '')?.[1]);
    // Act
    const message = render('many-findings.json');
    // Assess
    expect(limitViolations(message)).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(60);
    const lines = sectionTexts(message).flatMap((t) => t.split('\n'));
    const shown = lines.filter((l) => l.startsWith('• Column '));
    expect(shown).toHaveLength(10);
    expect(lines).toContain(`…and ${total - shown.length} more findings: run \`drift-guard diff\` to list them all`);
    // The full name is in the Table field; the header gives up the one long word rather than cut it.
    expect(fieldsOf(message)[0]).toBe(`*Table*\n\`${LONG_DATABASE}.${LONG_TABLE}\``);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: ':no_entry: Breaking schema change blocked on…' } });
    expect(lines).toContain('Workflow `customer-ltv-backfill` not found: nothing paused there.');
  });
});

describe('Slack blocks: Chatbot client-markdown → Slack mrkdwn', () => {
  it.each([
    ['escapes &, < and > outside code', 'a < b && c > d', 'a &lt; b &amp;&amp; c &gt; d'],
    ['escapes them inside code too, keeping the span', 'type `struct<a:int>` & more', 'type `struct&lt;a:int&gt;` &amp; more'],
    ['turns **bold** into *bold*', 'this is **very** important', 'this is *very* important'],
    ['turns ~~strike~~ into ~strike~', '~~old~~ new', '~old~ new'],
    ['turns [label](url) into a Slack link', 'see [the runbook](https://example.com/a?b=1&c=2)', 'see <https://example.com/a?b=1&amp;c=2|the runbook>'],
    ['turns a list item into a bullet', '- first item', '• first item'],
    ['turns a heading into a bold line', '## Findings', '*Findings*'],
    ['leaves bold markers inside code alone', 'run `a **b** c`', 'run `a **b** c`'],
    ['keeps :emoji: shortcodes (Slack knows them)', ':no_entry: blocked', ':no_entry: blocked'],
    ['replaces a stray backtick so no span opens', 'it`s odd', 'itˋs odd'],
    ['renders a double-backtick span as a single-backtick one', 'name ``a`b`` here', 'name `aˋb` here'],
  ])('%s', (_what, input, expected) => {
    // Act
    const output = toSlackMrkdwn(input);
    // Assess
    expect(output).toBe(expected);
  });

  it('plain text for the header drops the markers and keeps one line', () => {
    // Act
    const text = toPlainText('**Blocked** on `sales.orders`\nsee [docs](https://example.com)');
    // Assess
    expect(text).toBe('Blocked on sales.orders see docs');
  });
});

describe('Slack blocks: a body Chatbot would drop is an error, never a silent drop', () => {
  const valid = (): Record<string, unknown> => ({
    version: '1.0',
    source: 'custom',
    content: { textType: 'client-markdown', title: 't', description: 'd' },
  });

  it.each([
    ['not JSON', '{"version":', /malformed JSON/],
    ['JSON but not an object', '"hello"', /\(body\)/],
    ['another version', JSON.stringify({ ...valid(), version: '2.0' }), /version/],
    ['another source', JSON.stringify({ ...valid(), source: 'aws.glue' }), /source/],
    ['a typo in a key', JSON.stringify({ ...valid(), content: { textType: 'client-markdown', title: 't', descripton: 'd' } }), /content/],
    ['a blank description', JSON.stringify({ ...valid(), content: { description: '  ' } }), /content\.description: text that is not blank/],
    ['another text type', JSON.stringify({ ...valid(), content: { textType: 'html', description: 'd' } }), /content\.textType/],
    ['next steps that are not strings', JSON.stringify({ ...valid(), content: { description: 'd', nextSteps: [1] } }), /content\.nextSteps\[0\]/],
  ])('%s', (_what, body, problem) => {
    // Act
    const act = () => parseChatbotNotification(body);
    // Assess
    expect(act).toThrow(MalformedAlertError);
    expect(act).toThrow(problem);
  });

  it('accepts the minimal notification Chatbot accepts', () => {
    // Act
    const message = renderSlackMessage(parseChatbotNotification(JSON.stringify({ version: '1.0', source: 'custom', content: { description: 'Something happened' } })));
    // Assess
    expect(message.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'glue-drift-guard alert', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Something happened' } },
    ]);
    expect(message.text).toBe('glue-drift-guard alert');
  });
});

// ---- Properties: any number of findings, any length, within every limit, nothing cut. ----

const FINDING_END = /\((TYPE_CHANGED|COLUMN_REMOVED)\)$/;
const word = fc.stringMatching(/^[A-Za-z0-9_.:()&<>*~-]{1,12}$/);
const longWord = fc.stringMatching(/^[a-z_]{40,300}$/);
const name = fc.oneof({ weight: 5, arbitrary: word }, { weight: 1, arbitrary: longWord }, { weight: 1, arbitrary: fc.array(word, { minLength: 2, maxLength: 8 }).map((w) => w.join(' ')) });
/** Types print without spaces; a wide struct makes a line longer than a whole section. */
const glueTypeText = fc.oneof(
  { weight: 200, arbitrary: fc.constantFrom('string', 'bigint', 'decimal(10,2)', 'array<struct<a:int,b:map<string,double>>>') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }).map((n) => `struct<${Array.from({ length: n }, (_, i) => `field_${i}:bigint`).join(',')}>`) },
);
const findingLine = (columnName: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.tuple(columnName, glueTypeText, glueTypeText).map(([n, a, b]) => `• Column \`${n}\` changed type ${a} → ${b} (TYPE_CHANGED)`),
    fc.tuple(columnName, glueTypeText).map(([n, t]) => `• Column \`${n}\` (${t}) removed (COLUMN_REMOVED)`),
  );
/** Nested paths run long: enough of them fill all 50 blocks. */
const longPath = fc.stringMatching(/^[a-z_.]{150,700}$/);
const actionLine = fc.oneof(
  exactly(name, 1, 40).map((names) => `Paused workflow \`w\`: stopped triggers ${names.map((n) => `\`${n}\``).join(', ')}.`),
  fc.array(word, { minLength: 1, maxLength: 30 }).map((words) => `:warning: ${words.join(' ')}`),
);
const titleText = fc.array(fc.oneof(word, longWord, fc.constantFrom(':no_entry:', ':rotating_light:')), { minLength: 1, maxLength: 40 }).map((w) => w.join(' '));

/** fast-check keeps arrays small by default: draw the length uniformly so 500 findings happen. */
function exactly<T>(item: fc.Arbitrary<T>, min: number, max: number): fc.Arbitrary<T[]> {
  return fc.integer({ min, max }).chain((length) => fc.array(item, { minLength: length, maxLength: length }));
}

const notification = fc
  .record({
    title: titleText,
    intro: fc.array(word, { minLength: 1, maxLength: 20 }).map((w) => w.join(' ')),
    findings: fc.oneof(exactly(findingLine(name), 0, 500), exactly(findingLine(longPath), 0, 500)),
    alreadyOmitted: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined, freq: 2 }),
    actions: exactly(actionLine, 0, 60),
    nextSteps: fc.array(fc.tuple(fc.array(word, { minLength: 1, maxLength: 10 }), name).map(([w, n]) => `${w.join(' ')}: \`drift-guard resume ${n}\``), { maxLength: 8 }),
    database: name,
    table: name,
    incident: fc.stringMatching(/^dg-[0-9a-f]{12}$/),
  })
  .map((n) => ({
    input: n,
    body: {
      version: '1.0',
      source: 'custom',
      id: n.incident,
      content: {
        textType: 'client-markdown',
        title: n.title,
        description: [
          n.intro,
          ...n.findings,
          ...(n.alreadyOmitted === undefined ? [] : [`• …and ${n.alreadyOmitted} more (\`drift-guard diff\` lists them all)`]),
          '',
          ...n.actions,
          `Incident \`${n.incident}\``,
        ].join('\n'),
        nextSteps: n.nextSteps,
      },
      metadata: {
        threadId: `glue-drift-guard/${n.database}.${n.table}`,
        summary: `BLOCKED breaking schema change on ${n.database}.${n.table}: ${n.findings.length} findings`,
        eventType: 'Glue Schema Drift Blocked',
        relatedResources: [],
        additionalContext: { incidentId: n.incident, database: n.database, table: n.table },
      },
    } satisfies ChatbotNotification,
  }));

const HEADINGS = new Set(['*What the guard did*', '*Next steps*']);
const SUMMARY = /^…and (?:(\d+) more findings?)?(?: and )?(?:(\d+) more lines?)?(?::|$)/;

describe('Slack blocks: properties over 0..500 findings and long names', () => {
  it('≤50 blocks, every text within its limit, no block empty', () => {
    fc.assert(
      fc.property(notification, ({ body }) => {
        // Act
        const message = renderSlackMessage(parseChatbotNotification(JSON.stringify(body)), { verdict: 'breaking', outcome: 'blocked' });
        // Assess
        expect(limitViolations(message)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('lines are shown whole or counted: no cut inside a word, an entity or a backtick span', () => {
    fc.assert(
      fc.property(notification, ({ body }) => {
        // Prepare
        const source = [...body.content.description.split('\n'), ...body.content.nextSteps.map((s) => `- ${s}`)].map(toSlackMrkdwn);
        const allowed = new Set(source);
        // Act
        const message = renderSlackMessage(parseChatbotNotification(JSON.stringify(body)));
        // Assess
        const lines = sectionTexts(message).flatMap((t) => t.split('\n'));
        expect(lines.filter((l) => !allowed.has(l) && !HEADINGS.has(l) && !SUMMARY.test(l))).toEqual([]);
        expect(lines.filter((l) => (l.match(/`/g) ?? []).length % 2 !== 0)).toEqual([]);
        expect(lines.filter((l) => /&(?!amp;|lt;|gt;)|[<>]/.test(l))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('a summary line counts exactly the findings left out, and appears only when some are', () => {
    fc.assert(
      fc.property(notification, ({ input, body }) => {
        // Act
        const message = renderSlackMessage(parseChatbotNotification(JSON.stringify(body)));
        // Assess
        const lines = sectionTexts(message).flatMap((t) => t.split('\n'));
        const shown = lines.filter((l) => l.startsWith('• Column ') && FINDING_END.test(l)).length;
        const total = input.findings.length + (input.alreadyOmitted ?? 0);
        const summaries = lines.filter((l) => /^…and \d+ more findings?\b/.test(l));
        expect(summaries.map((l) => Number(SUMMARY.exec(l)?.[1]))).toEqual(shown === total ? [] : [total - shown]);
        expect(summaries.every((l) => l.includes('run `drift-guard diff`'))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('the header is the title, or a prefix of it ending at a word boundary plus "…"', () => {
    fc.assert(
      fc.property(titleText, (title) => {
        // Act
        const header = clipWords(title, SLACK_LIMITS.headerText);
        // Assess
        expect(header.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
        const clipped = header !== title;
        const prefix = clipped ? header.slice(0, -1) : header;
        expect(clipped ? header.endsWith('…') && title.length > SLACK_LIMITS.headerText : true).toBe(true);
        expect(title.startsWith(prefix)).toBe(true);
        // Cut at a space, unless the first 150 characters hold none (one giant word).
        const atWordBoundary = !clipped || title[prefix.length] === ' ' || !title.slice(0, SLACK_LIMITS.headerText).includes(' ');
        expect(atWordBoundary).toBe(true);
      }),
    );
  });
});
