import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RULES, ruleById } from '../../functions/core/judging/rules.js';
import type { RuleId } from '../../functions/core/judging/rule-ids.js';
import { BIN, ROOT, runCli } from '../support/cli.js';
import { TABLE_FIXTURES, tableDocument } from '../support/fixtures.js';

const diffJson = z.strictObject({
  verdict: z.enum(['compliant', 'allowed', 'breaking']),
  table: z.string(),
  contractVersion: z.number(),
  mode: z.string(),
  format: z.string(),
  findings: z.array(
    z.strictObject({
      ruleId: z.string(),
      severity: z.enum(['breaking', 'warning', 'info']),
      path: z.string(),
      kind: z.string(),
      before: z.string().optional(),
      after: z.string().optional(),
      message: z.string(),
      reason: z.string(),
    }),
  ),
});

const ruleReason = (id: RuleId): string => ruleById(id).purpose;

describe('drift-guard CLI (the real binary)', { timeout: 60_000 }, () => {
  let work: string;
  let contracts: string;
  const parquet = join(TABLE_FIXTURES, 'crawler-parquet-nested.json');

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'drift-guard-cli-'));
    contracts = join(work, 'contracts');
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  async function writeTable(name: string, edit: (table: Record<string, unknown>, columns: { Name: string; Type: string }[]) => void): Promise<string> {
    const document = tableDocument('crawler-parquet-nested.json');
    const sd = z.object({ Columns: z.array(z.object({ Name: z.string(), Type: z.string() }).loose()) }).loose().parse(document.Table.StorageDescriptor);
    edit(document.Table, sd.Columns);
    document.Table.StorageDescriptor = sd;
    const path = join(work, name);
    await writeFile(path, JSON.stringify(document));
    return path;
  }

  it('package.json bin points at the binary under test', async () => {
    const pkg = z.object({ bin: z.record(z.string(), z.string()) }).parse(JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')));
    expect(join(ROOT, pkg.bin['drift-guard'] ?? '')).toBe(BIN);
  });

  it('snapshot writes v1, then refuses to duplicate an unchanged table, then writes v2 for a changed one', async () => {
    // Act
    const first = runCli(['snapshot', '--from-file', parquet, '--contracts-dir', contracts, '--reviewer', 'alice', '--owner', 'team-sales', '--workflow', 'nightly-orders']);
    const again = runCli(['snapshot', '--from-file', parquet, '--contracts-dir', contracts, '--reviewer', 'alice']);
    const changed = await writeTable('changed.json', (_t, columns) => columns.splice(1, 1));
    const second = runCli(['snapshot', '--from-file', changed, '--contracts-dir', contracts, '--reviewer', 'bob', '--reason', 'customer_id moved to the customers table']);
    // Assess
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/sales_curated\.orders: wrote .*v1\.json \(v1, approved by alice\)/);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain('unchanged, v1 already describes this table; nothing written');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('acknowledged COLUMN_REMOVED  Column `customer_id` (bigint) removed');
    const dir = join(contracts, 'sales_curated', 'orders');
    expect((await readdir(dir)).sort()).toEqual(['v1.json', 'v2.json']);
    const v2 = z
      .object({ 'x-owners': z.array(z.string()), 'x-dependent-workflows': z.array(z.string()), 'x-approval': z.object({ reviewer: z.string(), reason: z.string(), glueVersionId: z.string(), acknowledges: z.array(z.unknown()) }) })
      .loose()
      .parse(JSON.parse(await readFile(join(dir, 'v2.json'), 'utf8')));
    expect(v2['x-owners']).toEqual(['team-sales']);
    expect(v2['x-dependent-workflows']).toEqual(['nightly-orders']);
    expect(v2['x-approval']).toMatchObject({ reviewer: 'bob', glueVersionId: '12', acknowledges: [{ ruleId: 'COLUMN_REMOVED', path: 'columns.customer_id' }] });
    expect(runCli(['check', contracts]).code).toBe(0);
  });

  it('diff: exit 0 and "compliant" for the table it was snapshotted from', () => {
    runCli(['snapshot', '--from-file', parquet, '--contracts-dir', contracts]);
    const result = runCli(['diff', '--table-file', parquet, '--contracts-dir', contracts, '--json']);
    expect(result.code).toBe(0);
    expect(diffJson.parse(JSON.parse(result.stdout))).toMatchObject({ verdict: 'compliant', findings: [], contractVersion: 1, format: 'parquet' });
  });

  it('diff: exit 0 and "allowed" for a column added at the end, with the finding in the readable report', async () => {
    runCli(['snapshot', '--from-file', parquet, '--contracts-dir', contracts]);
    const added = await writeTable('added.json', (_t, columns) => columns.push({ Name: 'channel', Type: 'string' }));
    const text = runCli(['diff', '--table-file', added, '--contracts-dir', contracts]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('sales_curated.orders against contract v1: ALLOWED (consumer-safe contract, parquet table)');
    expect(text.stdout).toContain('COLUMN_ADDED_AT_END  Column `channel` (string) added at the end');
  });

  it('diff: a 20,000-field struct is shortened in the text report (every line bounded) and full in --json', async () => {
    // Prepare: the contract's `total` is decimal; the table's is a struct of 20,000 fields (~270,000 characters;
    // the JSON report carries it twice, within spawnSync's 1 MB output buffer).
    runCli(['snapshot', '--from-file', parquet, '--contracts-dir', contracts]);
    const wide = `struct<${Array.from({ length: 20_000 }, (_, i) => `field_${i}:int`).join(',')}>`;
    const file = await writeTable('wide.json', (_t, columns) => {
      const total = columns.find((c) => c.Name === 'total');
      if (total !== undefined) total.Type = wide;
    });
    // Act
    const text = runCli(['diff', '--table-file', file, '--contracts-dir', contracts]);
    const json = runCli(['diff', '--table-file', file, '--contracts-dir', contracts, '--json']);
    // Assess
    expect(text.code).toBe(1);
    expect(Math.max(...text.stdout.split('\n').map((line) => line.length))).toBeLessThan(1_000);
    expect(text.stdout).toContain(`struct<field_0:int,field_1:int`);
    expect(text.stdout).toContain(`(${wide.length.toLocaleString('en')} characters)`);
    expect(json.code).toBe(1);
    expect(diffJson.parse(JSON.parse(json.stdout)).findings.find((f) => f.path === 'columns.total')?.after).toBe(wide);
  });

  it('an unparseable type of 200,000 characters: the error quotes the part around the problem, not the whole type', async () => {
    const huge = `struct<${Array.from({ length: 15_000 }, (_, i) => `field_${i}:int`).join(',')},broken:map<string>`;
    const file = await writeTable('huge.json', (_t, columns) => {
      const first = columns[0];
      if (first !== undefined) first.Type = huge;
    });
    const result = runCli(['diff', '--table-file', file, '--contracts-dir', contracts]);
    expect(result.code).toBe(2);
    expect(result.stderr.length).toBeLessThan(1_000);
    expect(result.stderr).toContain('broken:map<string>');
    expect(result.stderr).toContain(`at position ${huge.length - 1}`);
    expect(result.stderr).toContain(`(${huge.length.toLocaleString('en')} characters)`);
  });

  it('diff: exit 1 and "breaking" JSON for a removed column and a retyped one', async () => {
    runCli(['snapshot', '--from-file', parquet, '--contracts-dir', contracts]);
    const broken = await writeTable('broken.json', (_t, columns) => {
      columns.splice(1, 1);
      const total = columns.find((c) => c.Name === 'total');
      if (total !== undefined) total.Type = 'string';
    });
    const result = runCli(['diff', '--table-file', broken, '--contracts-dir', contracts, '--json']);
    expect(result.code).toBe(1);
    const report = diffJson.parse(JSON.parse(result.stdout));
    expect(report.verdict).toBe('breaking');
    expect(report.findings).toEqual([
      expect.objectContaining({ ruleId: 'COLUMN_REMOVED', severity: 'breaking', path: 'columns.customer_id', before: 'bigint', message: 'Column `customer_id` (bigint) removed' }),
      expect.objectContaining({ ruleId: 'TYPE_CHANGED', path: 'columns.total', before: 'decimal(38,18)', after: 'string', message: 'Column `total` changed type decimal(38,18) → string' }),
    ]);
  });

  it('diff --format github|junit|markdown: the breaking findings on the contract lines of their columns, exit 1', async () => {
    runCli(['snapshot', '--from-file', parquet, '--contracts-dir', 'contracts'], { cwd: work });
    const broken = await writeTable('broken.json', (_t, columns) => {
      const total = columns.find((c) => c.Name === 'total');
      if (total !== undefined) total.Type = 'string';
    });
    const v1 = join(contracts, 'sales_curated', 'orders', 'v1.json');
    const line = (await readFile(v1, 'utf8')).split('\n').findIndex((l) => l.trim() === '"total": {') + 1;
    expect(line).toBeGreaterThan(1);
    const github = runCli(['diff', '--table-file', broken, '--contracts-dir', 'contracts', '--format', 'github'], { cwd: work });
    expect(github.code).toBe(1);
    const [annotation, headline, ...rest] = github.stdout.trim().split('\n');
    expect(rest).toEqual([]);
    expect(annotation).toMatch(new RegExp(`^::error file=contracts/sales_curated/orders/v1\\.json,line=${line},title=sales_curated\\.orders%3A breaking TYPE_CHANGED::columns\\.total: Column \`total\` changed type decimal\\(38,18\\) → string `));
    expect(annotation).toContain('%0ARestore the table, or accept the change as a new contract version: drift-guard snapshot --from-file');
    expect(headline).toBe('drift-guard diff: sales_curated.orders against contract v1: BREAKING (1 breaking change)');
    const junit = runCli(['diff', '--table-file', broken, '--contracts-dir', contracts, '--format', 'junit']);
    expect(junit.code).toBe(1);
    expect(junit.stdout).toContain('<failure message="sales_curated.orders: breaking TYPE_CHANGED" type="TYPE_CHANGED">');
    const markdown = runCli(['diff', '--table-file', broken, '--contracts-dir', 'contracts', '--format', 'markdown'], { cwd: work });
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain(`| \`TYPE_CHANGED\` | \`contracts/sales_curated/orders/v1.json:${line}\` |`);
  });

  it.each([
    ['a table with no contract', async (): Promise<string> => { await mkdir(contracts); return parquet; }, /no contract for sales_curated\.orders in .*contracts\/ \(create one with: drift-guard snapshot --from-file/],
    ['malformed JSON', async (): Promise<string> => { const p = join(work, 'bad.json'); await writeFile(p, '{"Table": '); return p; }, /bad\.json: malformed JSON/],
    [
      'an unparseable type',
      async (): Promise<string> => writeTable('type.json', (_t, columns) => { const first = columns[0]; if (first !== undefined) first.Type = 'map<string'; }),
      /type\.json: Table\.StorageDescriptor\.Columns\[0\]\.Type: column `order_id`: invalid type "map<string" at position 10: expected ","/,
    ],
    ['a missing file', (): Promise<string> => Promise.resolve(join(work, 'nope.json')), /nope\.json: a readable Glue table JSON file \(ENOENT/],
  ])('diff: exit 2 with a one-line error for %s', async (_name, makeFile, message) => {
    const file = await makeFile();
    const result = runCli(['diff', '--table-file', file, '--contracts-dir', contracts]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it('diff --contracts-dir of a directory that does not exist (or a file): exit 2 saying so, not "no contract"', async () => {
    // Prepare
    const file = await writeTable('orders.json', () => undefined);
    // Act
    const missing = runCli(['diff', '--table-file', file, '--contracts-dir', join(work, 'nonexist')]);
    const notDir = runCli(['diff', '--table-file', file, '--contracts-dir', file]);
    // Assess
    expect([missing.code, notDir.code]).toEqual([2, 2]);
    expect(missing.stderr).toBe(`drift-guard: ${join(work, 'nonexist')}: no such directory (--contracts-dir; a relative path is read from the current directory, ${ROOT.replace(/\/$/, '')})\n`);
    expect(notDir.stderr).toContain(`${file}: not a directory`);
    expect(missing.stdout + notDir.stdout).toBe('');
  });

  it.each(['rules', 'rules --json', 'check contracts'])('a reader that closes the pipe early (`| head`): `drift-guard %s` ends quietly, exit 0', async (command) => {
    // Act: stdout's reader is gone before the first write (what `| head -3` does after three lines), so the write fails with EPIPE.
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...command.split(' ')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) => {
        resolve({ code, stderr });
      });
    });
    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  describe('table files as Windows and the AWS CLI write them', () => {
    it('a UTF-8 file with a byte order mark is read (Out-File -Encoding utf8 writes one)', async () => {
      runCli(['snapshot', '--from-file', parquet, '--contracts-dir', contracts]);
      const file = join(work, 'bom.json');
      await writeFile(file, `\uFEFF${await readFile(parquet, 'utf8')}`);
      const result = runCli(['diff', '--table-file', file, '--contracts-dir', contracts, '--json']);
      expect(result.stderr).toBe('');
      expect(diffJson.parse(JSON.parse(result.stdout)).verdict).toBe('compliant');
    });

    it.each([
      ['UTF-16LE with a mark (PowerShell 5 ">")', (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['UTF-16LE without a mark', (text: string): Buffer => Buffer.from(text, 'utf16le')],
      ['UTF-16BE with a mark', (text: string): Buffer => Buffer.from(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le')]).map((_, i, all) => all[i % 2 === 0 ? i + 1 : i - 1] ?? 0))],
    ])('%s: exit 2 saying how to write UTF-8', async (_name, encode) => {
      const file = join(work, 'utf16.json');
      await writeFile(file, encode(await readFile(parquet, 'utf8')));
      const result = runCli(['diff', '--table-file', file, '--contracts-dir', contracts]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`drift-guard: ${file}: a UTF-8 Glue table JSON file, found UTF-16 text (what Windows PowerShell's ">" writes): write it with "| Out-File -Encoding utf8 orders.json", or "aws glue get-table ... --output json > orders.json" in PowerShell 7 or a POSIX shell\n`);
    });

    it('"aws glue get-tables" output where one table is expected: exit 2 naming its tables and how to pick one', async () => {
      const table = tableDocument('crawler-parquet-nested.json').Table;
      const file = join(work, 'tables.json');
      await writeFile(file, JSON.stringify({ TableList: [table, { ...table, Name: 'customers' }] }));
      const result = runCli(['snapshot', '--from-file', file, '--contracts-dir', contracts]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('found "aws glue get-tables" output (TableList, 2 tables: orders, customers)');
      expect(result.stderr).toContain('aws glue get-table --database-name <db> --name <table>');
      expect(await readdir(work)).toEqual(['tables.json']);
    });
  });

  it('exits 2 with usage help for an unknown command or option', () => {
    const unknownCommand = runCli(['difff']);
    const unknownOption = runCli(['diff', '--tablefile', 'x']);
    const missingOption = runCli(['diff']);
    expect([unknownCommand.code, unknownOption.code, missingOption.code]).toEqual([2, 2, 2]);
    expect(unknownCommand.stderr).toContain('unknown command "difff"');
    expect(unknownOption.stderr).toContain("Unknown option '--tablefile'");
    expect(missingOption.stderr).toContain('--table-file is required');
  });

  describe('contracts that never lie: snapshot refuses what check, audit or the guard would reject', () => {
    it('a breaking snapshot without --reason: exit 2, the breaking changes listed, nothing written; with --reason it is written', async () => {
      runCli(['snapshot', '--from-file', parquet, '--contracts-dir', contracts, '--reviewer', 'alice', '--owner', 'team-sales']);
      const changed = await writeTable('changed.json', (_t, columns) => columns.splice(1, 1));
      const refused = runCli(['snapshot', '--from-file', changed, '--contracts-dir', contracts, '--reviewer', 'bob']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('sales_curated.orders: --reason: a reason: v2 would accept 1 breaking change against v1');
      expect(refused.stderr).toContain('✖ COLUMN_REMOVED  Column `customer_id` (bigint) removed');
      expect(refused.stderr).toContain('give --reason');
      expect(await readdir(join(contracts, 'sales_curated', 'orders'))).toEqual(['v1.json']);
      const blank = runCli(['snapshot', '--from-file', changed, '--contracts-dir', contracts, '--reviewer', 'bob', '--reason', ' ']);
      expect(blank.code).toBe(2);
      const written = runCli(['snapshot', '--from-file', changed, '--contracts-dir', contracts, '--reviewer', 'bob', '--reason', 'customer_id moved']);
      expect(written.code).toBe(0);
      expect(runCli(['check', contracts]).code).toBe(0);
    });

    it('a struct field or column named __proto__ / constructor: snapshot, check and diff all accept the contract', async () => {
      const table = await writeTable('proto.json', (_t, columns) => {
        columns.push({ Name: '__proto__', Type: 'struct<__proto__:int,constructor:string,toString:bigint>' }, { Name: 'constructor', Type: 'string' });
      });
      const snapshot = runCli(['snapshot', '--from-file', table, '--contracts-dir', contracts, '--reviewer', 'alice']);
      expect(snapshot).toMatchObject({ code: 0, stderr: '' });
      expect(runCli(['check', contracts])).toMatchObject({ code: 0, stderr: '' });
      const diff = runCli(['diff', '--table-file', table, '--contracts-dir', contracts]);
      expect(diff).toMatchObject({ code: 0, stderr: '' });
      expect(diff.stdout).toContain('COMPLIANT');
    });

    it('a table or database name with ../ is refused, naming the file, the field and what was found; nothing written anywhere', async () => {
      const escape = await writeTable('escape.json', (t) => {
        t.Name = '../../escaped';
      });
      const result = runCli(['snapshot', '--from-file', escape, '--contracts-dir', contracts, '--reviewer', 'alice']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/escape\.json: Table\.Name: a Glue table name drift-guard can keep contracts for: .*found "\.\.\/\.\.\/escaped"/);
      expect((await readdir(work)).sort()).toEqual(['escape.json']);
      const argument = runCli(['history', 'sales/../x.orders', '--contracts-dir', contracts]);
      expect(argument.code).toBe(2);
      expect(argument.stderr).toContain('history argument "sales/../x.orders": database: a Glue database name');
    });

    it('a mixed-case table file is the lower-case table: one directory, and diff and check keep working', async () => {
      runCli(['snapshot', '--from-file', parquet, '--contracts-dir', contracts, '--reviewer', 'alice']);
      const mixed = await writeTable('mixed.json', (t, columns) => {
        t.Name = 'Orders';
        t.DatabaseName = 'Sales_Curated';
        columns.push({ Name: 'note', Type: 'string' });
      });
      const snapshot = runCli(['snapshot', '--from-file', mixed, '--contracts-dir', contracts, '--reviewer', 'bob']);
      expect(snapshot.code).toBe(0);
      expect(snapshot.stdout).toContain('sales_curated.orders: wrote');
      expect(await readdir(contracts)).toEqual(['sales_curated']);
      expect((await readdir(join(contracts, 'sales_curated', 'orders'))).sort()).toEqual(['v1.json', 'v2.json']);
      expect(runCli(['diff', '--table-file', mixed, '--contracts-dir', contracts]).code).toBe(0);
      expect(runCli(['check', contracts]).code).toBe(0);
    });

    it('a table without columns (no StorageDescriptor) is refused: exit 2 naming the table and the field, nothing written', async () => {
      const empty = await writeTable('empty.json', (t) => {
        t.Name = 'empty_table';
      });
      const document = JSON.parse(await readFile(empty, 'utf8')) as { Table: Record<string, unknown> };
      delete document.Table.StorageDescriptor;
      await writeFile(empty, JSON.stringify(document));
      const result = runCli(['snapshot', '--from-file', empty, '--contracts-dir', contracts, '--reviewer', 'alice']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('sales_curated.empty_table: StorageDescriptor.Columns: a table with at least one column');
      await expect(readdir(contracts)).rejects.toThrow(/ENOENT/);
    });
  });

  describe('check', () => {
    async function seed(): Promise<string> {
      runCli(['snapshot', '--from-file', parquet, '--contracts-dir', contracts, '--reviewer', 'alice']);
      const changed = await writeTable('changed.json', (_t, columns) => columns.splice(1, 1));
      runCli(['snapshot', '--from-file', changed, '--contracts-dir', contracts, '--reviewer', 'bob', '--reason', 'customer_id moved']);
      return join(contracts, 'sales_curated', 'orders', 'v2.json');
    }

    it('passes when every breaking step is acknowledged', async () => {
      await seed();
      const result = runCli(['check', contracts]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('ok   sales_curated.orders: 2 versions, active v2');
    });

    it('fails with exit 1, naming the step, rule, path and how to acknowledge, when a breaking step is not acknowledged', async () => {
      const v2 = await seed();
      const document = z.object({ 'x-approval': z.object({ acknowledges: z.array(z.unknown()) }).loose() }).loose().parse(JSON.parse(await readFile(v2, 'utf8')));
      document['x-approval'].acknowledges = [];
      await writeFile(v2, JSON.stringify(document, null, 2));
      const result = runCli(['check', contracts]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('FAIL sales_curated.orders');
      expect(result.stdout).toContain('v1 → v2: unacknowledged breaking change COLUMN_REMOVED at columns.customer_id');
      expect(result.stdout).toContain('{"ruleId": "COLUMN_REMOVED", "path": "columns.customer_id"}');
    });

    it('exits 2 listing every invalid file', async () => {
      const v2 = await seed();
      await writeFile(v2, (await readFile(v2, 'utf8')).replace('"x-status": "approved"', '"x-status": "aproved"'));
      await cp(v2, join(contracts, 'sales_curated', 'orders', 'v4.json'));
      const result = runCli(['check', contracts]);
      expect(result.code).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toContainEqual(expect.stringMatching(/v2\.json: x-status: Invalid option: expected one of "approved"\|"proposed"\|"rejected"/));
      expect(lines).toContainEqual(expect.stringMatching(/v4\.json: x-status/));
    });

    it('--format github: an annotation on the contract file and line, the entry to add, exit 1', async () => {
      const v2 = await seed();
      const document = z.object({ 'x-approval': z.object({ acknowledges: z.array(z.unknown()) }).loose() }).loose().parse(JSON.parse(await readFile(v2, 'utf8')));
      document['x-approval'].acknowledges = [];
      const text = JSON.stringify(document, null, 2);
      await writeFile(v2, text);
      const result = runCli(['check', 'contracts', '--format', 'github'], { cwd: work });
      expect(result).toMatchObject({ code: 1, stderr: '' });
      const [annotation, headline] = result.stdout.trim().split('\n');
      // customer_id is gone from v2: the annotation points at the "properties" key that no longer lists it.
      const line = text.split('\n').findIndex((l) => l.trim() === '"properties": {') + 1;
      expect(line).toBeGreaterThan(1);
      expect(annotation).toBe(
        `::error file=contracts/sales_curated/orders/v2.json,line=${line},title=sales_curated.orders v1 → v2%3A unacknowledged COLUMN_REMOVED::columns.customer_id: Column \`customer_id\` (bigint) removed (${ruleReason('COLUMN_REMOVED')})%0ATo accept it, add {"ruleId":"COLUMN_REMOVED","path":"columns.customer_id"} to x-approval.acknowledges in contracts/sales_curated/orders/v2.json.`,
      );
      expect(headline).toBe('drift-guard check: 1 breaking change without acknowledgement');
    });

    it('--format junit and markdown: the same verdict and exit code; --json and --format json agree; a conflicting pair is a usage error', async () => {
      await seed();
      const junit = runCli(['check', contracts, '--format', 'junit']);
      expect(junit.code).toBe(0);
      expect(junit.stdout).toContain('<testsuites name="drift-guard check" tests="1" failures="0" errors="0">');
      expect(junit.stdout).toContain('<testcase classname="drift-guard check" name="sales_curated.orders"/>');
      const markdown = runCli(['check', contracts, '--format', 'markdown']);
      expect(markdown).toMatchObject({ code: 0, stdout: '### ✅ drift-guard check: 1 table checked: ok\n\nEvery breaking contract change is acknowledged.\n' });
      expect(runCli(['check', contracts, '--format', 'json']).stdout).toBe(runCli(['check', contracts, '--json']).stdout);
      const clash = runCli(['check', contracts, '--json', '--format', 'github']);
      expect(clash.code).toBe(2);
      expect(clash.stderr).toContain('check: --json is --format json; it cannot be combined with --format github');
      const unknown = runCli(['check', contracts, '--format', 'sarif']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('check: --format must be one of text, json, github, junit, markdown (got "sarif")');
      for (const command of ['check', 'diff', 'audit']) expect(runCli([command, '--help']).stdout).toContain('[--format text|json|github|junit|markdown (default text; --json = --format json)]');
    });

    it('validates the contracts shipped in this repository', () => {
      expect(runCli(['check', join(ROOT, 'test', 'fixtures', 'contracts')]).code).toBe(0);
    });
  });

  it('rules --json lists the whole registry', () => {
    const result = runCli(['rules', '--json']);
    expect(result.code).toBe(0);
    const rules = z.array(z.object({ id: z.string(), severity: z.string(), purpose: z.string() }).loose()).parse(JSON.parse(result.stdout));
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
  });
});
