import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/cli.js';
import { FIXTURES } from '../support/fixtures.js';

describe('drift-guard export / import --format odcs (the real binary)', { timeout: 60_000 }, () => {
  let work: string;
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'drift-guard-odcs-'));
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('export then import writes back the very same contract file', async () => {
    const exported = runCli(['export', '--format', 'odcs', 'sales.orders', '--contracts-dir', join(ROOT, 'contracts')]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ apiVersion: 'v3.0.1', kind: 'DataContract', version: '1.0.0' });
    const file = join(work, 'orders.odcs.json');
    await writeFile(file, exported.stdout);
    const imported = runCli(['import', '--format', 'odcs', file, '--contracts-dir', join(work, 'contracts')]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/v1, approved\): everything recovered/);
    const written = await readFile(join(work, 'contracts', 'sales', 'orders', 'v1.json'), 'utf8');
    expect(written).toBe(await readFile(join(ROOT, 'contracts', 'sales', 'orders', 'v1.json'), 'utf8'));
    const again = runCli(['import', '--format', 'odcs', file, '--contracts-dir', join(work, 'contracts')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/never overwritten/);
  });

  it("imports datacontract-cli's Glue output as a proposed version and lists what it could not recover", async () => {
    const result = runCli(['import', '--format', 'odcs', join(FIXTURES, 'odcs', 'datacontract-cli-glue-orders.json'), '--contracts-dir', join(work, 'contracts'), '--owner', 'team-sales']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/v1, proposed\); not recovered from the document:/);
    expect(result.stdout).toMatch(/orders \(dt\): which columns are partition keys/);
    expect(result.stdout).toMatch(/storage format "unknown"/);
    const written = JSON.parse(await readFile(join(work, 'contracts', 'sales', 'orders', 'v1.json'), 'utf8')) as { properties: Record<string, { 'x-glue-type': string }> };
    expect(written.properties.amount?.['x-glue-type']).toBe('decimal(10,2)');
    const json = runCli(['import', '--format', 'odcs', join(FIXTURES, 'odcs', 'datacontract-cli-glue-orders.json'), '--contracts-dir', join(work, 'contracts'), '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { version: number; status: string; origin: string; unrecovered: { where: string }[] };
    expect(report).toMatchObject({ version: 2, status: 'proposed', origin: 'foreign' });
    expect(report.unrecovered.map((u) => u.where)).toEqual(['orders (dt)', 'orders (table)', 'orders (table)', 'orders (contract)']);
  });

  it('a map without key and value types: exit 2, each loss named, nothing written', async () => {
    const doc = JSON.parse(await readFile(join(FIXTURES, 'odcs', 'datacontract-cli-glue-orders.json'), 'utf8')) as { schema: { properties: unknown[] }[] };
    doc.schema[0]?.properties.push({ name: 'attrs', logicalType: 'object', physicalType: 'map' });
    const file = join(work, 'dc.json');
    await writeFile(file, JSON.stringify(doc));
    const result = runCli(['import', '--format', 'odcs', file, '--contracts-dir', join(work, 'contracts')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/orders\.attrs: map key and value types/);
    await expect(readdir(join(work, 'contracts'))).rejects.toThrow(/ENOENT/);
  });

  it('usage mistakes and unreadable input say what to do', async () => {
    expect(runCli(['export', 'sales.orders']).stderr).toMatch(/--format is required \(one of odcs\)/);
    expect(runCli(['export', '--format', 'dcs', 'sales.orders']).stderr).toMatch(/--format must be one of odcs \(got "dcs"\)/);
    const missing = runCli(['export', '--format', 'odcs', 'sales.nope', '--contracts-dir', join(ROOT, 'contracts')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/found none for sales\.nope/);
    const yaml = join(work, 'c.yaml');
    await writeFile(yaml, 'apiVersion: v3.0.1\nkind: DataContract\n');
    const fromYaml = runCli(['import', '--format', 'odcs', yaml]);
    expect(fromYaml.code).toBe(2);
    expect(fromYaml.stderr).toMatch(/YAML is not read: convert it first/);
  });
});
