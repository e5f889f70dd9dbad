/** Runs json-schema-diff's public API on two schemas in a worker, so the benchmark can stop it at a time limit. */
import { parentPort, workerData } from 'node:worker_threads';
import jsonSchemaDiff from 'json-schema-diff';
import { z } from 'zod';

const input = z.object({ source: z.record(z.string(), z.unknown()), destination: z.record(z.string(), z.unknown()) }).parse(workerData);
const start = performance.now();
const result = await jsonSchemaDiff.diffSchemas({ sourceSchema: input.source, destinationSchema: input.destination });
parentPort?.postMessage({ ms: performance.now() - start, removalsFound: result.removalsFound });
