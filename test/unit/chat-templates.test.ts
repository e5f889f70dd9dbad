import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { ROOT } from '../support/cli.js';

const template = z.object({
  AWSTemplateFormatVersion: z.literal('2010-09-09'),
  Parameters: z.record(z.string(), z.object({ Type: z.string(), AllowedPattern: z.string().optional() }).loose()),
  Resources: z.record(z.string(), z.object({ Type: z.string(), Properties: z.record(z.string(), z.unknown()) })),
});

describe.each([
  ['chatbot-slack.yml', 'AWS::Chatbot::SlackChannelConfiguration', ['SlackWorkspaceId', 'SlackChannelId']],
  ['chatbot-teams.yml', 'AWS::Chatbot::MicrosoftTeamsChannelConfiguration', ['TeamId', 'TeamsTenantId', 'TeamsChannelId']],
])('Chat channel template %s', (file, type, ids) => {
  const load = async () => template.parse(parse(await readFile(join(ROOT, 'infra/chat', file), 'utf8')));

  it('subscribes a channel configuration to the alert topic given as a parameter', async () => {
    const t = await load();
    const channels = Object.values(t.Resources).filter((r) => r.Type === type);
    expect(channels).toHaveLength(1);
    expect(channels[0]?.Properties.SnsTopicArns).toEqual([{ Ref: 'AlertTopicArn' }]);
    expect(t.Parameters.AlertTopicArn?.AllowedPattern).toBeDefined();
  });

  it('is parameterised by the workspace/team and channel ids, never hard-coded', async () => {
    const t = await load();
    const channel = Object.values(t.Resources).find((r) => r.Type === type);
    for (const id of ids) {
      expect(Object.keys(t.Parameters)).toContain(id);
      expect(Object.values(channel?.Properties ?? {})).toContainEqual({ Ref: id });
    }
  });

  it('gives the channel a read-only role and guardrail', async () => {
    const t = await load();
    const json = JSON.stringify(t.Resources);
    expect(json).toContain('CloudWatchReadOnlyAccess');
    expect(json).not.toMatch(/AdministratorAccess|PowerUserAccess|"Action":"\*"/);
  });
});
