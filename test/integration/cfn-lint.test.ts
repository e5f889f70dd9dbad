/**
 * cfn-lint (an independent check of CloudFormation) on every packaged variant and on the chat channel templates:
 * no error in the commercial regions, and no warning beyond the ones the README explains.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { type Variant, VARIANTS, packagedVariant } from '../support/packaged.js';
import { cfnLintArgs } from '../support/python-toolchain.js';

const COMMERCIAL_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

/** cfn-lint's findings, one `RULE message` line each (exit 0 clean; 2 errors; 4 warnings; 6 both; 8 informational). */
async function cfnLint(...args: string[]): Promise<string[]> {
  const { command, args: full } = cfnLintArgs(inject('python'), ['--format', 'parseable', ...args]);
  let stdout = '';
  try {
    stdout = (await promisify(execFile)(command, [...full], { cwd: ROOT, timeout: 120_000 })).stdout;
  } catch (error) {
    if (error instanceof Error && 'stdout' in error && typeof error.stdout === 'string' && 'code' in error && typeof error.code === 'number' && error.code > 0 && error.code < 16) {
      stdout = error.stdout;
    } else throw error;
  }
  // parseable: file:line:col:endLine:endCol:RULE:message
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const parts = line.split(':');
      return `${parts[5] ?? ''} ${parts.slice(6).join(':')}`;
    });
}

const chatTemplates = readdirSync(join(ROOT, 'infra', 'chat')).filter((f) => f.endsWith('.yml')).map((f) => join('infra', 'chat', f));

describe('cfn-lint', { timeout: 300_000 }, () => {
  it.each(Object.keys(VARIANTS).map((v) => ({ variant: v as Variant })))('packaged variant $variant: no error, only the explained warning', async ({ variant }) => {
    const dir = await packagedVariant(variant);
    const findings = await cfnLint('--regions', ...COMMERCIAL_REGIONS, '--', join(dir, 'cloudformation-template-update-stack.json'));
    // W8003: the WithSlackForwarder condition compares two literals, because osls resolves ${param:slackForwarder}
    // at package time: the condition is constant in each variant by design (README "cfn-lint").
    const explained = variant === 'slackForwarder' ? "W8003 ['true', 'true'] will always return True or False" : "W8003 ['false', 'true'] will always return False";
    expect(findings).toEqual([explained]);
  });

  it('chat channel templates: clean in the commercial regions', async () => {
    expect(chatTemplates.length).toBeGreaterThan(0);
    expect(await cfnLint('--regions', ...COMMERCIAL_REGIONS, '--', ...chatTemplates)).toEqual([]);
  });

  it('chat channel templates: AWS Chatbot does not exist in the China and GovCloud partitions (E3006; README points to the Slack forwarder)', async () => {
    const findings = await cfnLint('--regions', 'cn-north-1', 'us-gov-west-1', '--', ...chatTemplates);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.startsWith('E3006 Resource type \'AWS::Chatbot::'))).toBe(true);
  });
});
