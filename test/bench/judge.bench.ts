/**
 * `npm run bench`: how long judging takes as tables widen, and json-schema-diff on a whole table for
 * comparison. Prints figures; asserts nothing (timings belong here, not in tests).
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { Contract } from '../../functions/core/contracts/contract.js';
import { parseGlueType } from '../../functions/core/schema/glue-type.js';
import { judge } from '../../functions/core/judging/judge.js';
import type { Column, TableSchema } from '../../functions/core/schema/table-schema.js';
import { nullableJsonSchema } from '../../functions/core/schema/type-families.js';
import { forgetValueSets } from '../../functions/core/judging/value-set.js';

const SIZES = [100, 1_000, 10_000];
const RUNS = 15;
const WARMUP = 3;
/** json-schema-diff on a whole wide table can run for minutes: stop it here and report a lower bound. */
const JSD_LIMIT_S = Number(process.env.BENCH_JSD_LIMIT_S ?? 60);

/** struct<a0:int,n:struct<a1:int,n:struct<...>>> nested `depth` levels deep. */
function nestedStruct(depth: number, leaf: string): string {
  return depth === 0 ? leaf : `struct<a${depth}:int,label${depth}:string,n:${nestedStruct(depth - 1, leaf)}>`;
}

const PLAIN_TYPES = ['bigint', 'string', 'int', 'decimal(12,2)', 'timestamp', 'double', 'array<string>', 'map<string,int>', 'boolean'];

function columns(count: number): Column[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `col_${i}`,
    type: parseGlueType(i % 10 === 0 ? nestedStruct(5, 'struct<x:int,y:double>') : (PLAIN_TYPES[i % PLAIN_TYPES.length] ?? 'string')),
  }));
}

function schemaOf(cols: Column[]): TableSchema {
  return {
    database: 'bench',
    name: `wide_${cols.length}`,
    columns: cols,
    partitionKeys: [{ name: 'dt', type: parseGlueType('string') }],
    storage: { format: 'parquet', location: 's3://bench/wide/', serdeParameters: { 'serialization.format': '1' } },
    tableType: 'EXTERNAL_TABLE',
    parameters: {},
  };
}

/** The drift a crawler typically brings: ~1 % of columns widened, a nested field added, one removed, two appended. */
function drifted(cols: Column[]): Column[] {
  const next = cols.map((c, i): Column => {
    if (i % 100 === 2) return { ...c, type: parseGlueType('bigint') }; // int → bigint (widened)
    if (i % 100 === 50) return { ...c, type: parseGlueType(nestedStruct(5, 'struct<x:int,y:double,z:string>')) }; // field added 5 deep
    return c;
  });
  next.splice(7, 1); // one column removed
  next.push({ name: 'added_a', type: parseGlueType('string') }, { name: 'added_b', type: parseGlueType('int') });
  return next;
}

function contractOf(schema: TableSchema): Contract {
  return { version: 1, status: 'approved', compatibility: 'consumer-safe', enforcement: 'enforce', dependentWorkflows: [], owners: ['bench'], schema };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function timeJudge(contract: Contract, table: TableSchema, crossCheck: boolean): { median: number; min: number; findings: number } {
  const samples: number[] = [];
  let findings = 0;
  for (let run = 0; run < WARMUP + RUNS; run += 1) {
    forgetValueSets(); // every run starts cold: no answers remembered from the previous one
    const start = performance.now();
    const judgement = judge(contract, table, { crossCheck });
    const elapsed = performance.now() - start;
    findings = judgement.findings.length;
    if (run >= WARMUP) samples.push(elapsed);
  }
  return { median: median(samples), min: Math.min(...samples), findings };
}

function wholeTableSchema(cols: Column[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: Object.fromEntries(cols.map((c) => [c.name, nullableJsonSchema(c.type)])),
    additionalProperties: false,
  };
}

async function main(): Promise<void> {
  console.log(`judge: median of ${RUNS} runs after ${WARMUP} warm-up runs (Node ${process.version}, ${process.platform}/${process.arch})`);
  console.log('columns  findings  judge (ms)  min (ms)  µs/column  without cross-check (ms)');
  const perSize = new Map<number, number>();
  for (const size of SIZES) {
    const before = schemaOf(columns(size));
    const after = schemaOf(drifted(before.columns.slice()));
    const full = timeJudge(contractOf(before), after, true);
    const diffOnly = timeJudge(contractOf(before), after, false);
    perSize.set(size, full.median);
    console.log(
      `${String(size).padStart(7)}  ${String(full.findings).padStart(8)}  ${full.median.toFixed(2).padStart(10)}  ${full.min.toFixed(2).padStart(8)}  ${((full.median * 1000) / size).toFixed(2).padStart(9)}  ${diffOnly.median.toFixed(2).padStart(24)}`,
    );
  }
  const small = perSize.get(1_000) ?? 0;
  const large = perSize.get(10_000) ?? 0;
  console.log(`scaling 1,000 → 10,000 columns: ×${(large / small).toFixed(1)} time for ×10 columns (linear = ×10)`);
  console.log(`goal: 10,000 columns under 50 ms → ${large < 50 ? 'met' : 'NOT met'} (${large.toFixed(1)} ms)`);

  // json-schema-diff on the same kind of 320-column pair, whole: it is super-linear, so the guard never does this.
  const before320 = columns(320);
  const after320 = drifted(before320.slice());
  const ours = timeJudge(contractOf(schemaOf(before320)), schemaOf(after320), true);
  const whole = await wholeTableJsonSchemaDiff(wholeTableSchema(before320), wholeTableSchema(after320));
  const jsd = whole.finished ? `${(whole.ms / 1000).toFixed(1)} s` : `> ${JSD_LIMIT_S} s (stopped at the limit; BENCH_JSD_LIMIT_S raises it)`;
  console.log(`320 columns (every tenth a struct 5 deep): judge ${ours.median.toFixed(2)} ms; json-schema-diff on the whole table ${jsd}`);
  console.log(`ratio: json-schema-diff / judge ${whole.finished ? '=' : '>'} ×${Math.round(whole.ms / ours.median).toLocaleString('en')}`);
}

async function wholeTableJsonSchemaDiff(source: object, destination: object): Promise<{ ms: number; finished: boolean }> {
  const worker = new Worker(new URL('./json-schema-diff.worker.js', import.meta.url), { workerData: { source, destination } });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate().then(() => {
        resolve({ ms: performance.now() - started, finished: false });
      });
    }, JSD_LIMIT_S * 1000);
    worker.once('message', (message: unknown) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve({ ms: z.object({ ms: z.number() }).parse(message).ms, finished: true });
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

await main();
