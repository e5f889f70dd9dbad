import { GlueClient } from '@aws-sdk/client-glue';
import { it } from 'vitest';
import { createGlueWorkflows } from '/work/main/functions/aws/glue-workflows.js';
import { startLocalStack } from '/work/main/infra/local/index.js';
it('measure', async () => {
  let fails = 0; let calls = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const stack = await startLocalStack({ seed });
    const glue = new GlueClient(stack.clientConfig());
    const w = createGlueWorkflows({ client: glue });
    stack.glue.createWorkflow({ Name: 'nightly' }); stack.glue.createJob('load');
    for (const n of ['a','b','c']) stack.glue.createTrigger({ Name: n, WorkflowName: 'nightly', Type: 'SCHEDULED', Schedule: 'cron(0 * * * ? *)', StartOnCreation: true, Actions: [{ JobName: 'load' }] });
    stack.glue.workflows.startRun('nightly');
    stack.faults.set({ throttleRate: 0.3, services: ['glue'] });
    try { await w.pause('nightly', { id: 'i', database: 'd', table: 't', region: 'us-east-1', account: '123456789012' }); } catch { fails++; }
    calls += stack.calls.count({ ok: true });
    glue.destroy(); await stack.stop();
  }
  process.stdout.write(`fails ${fails}/40 okcalls ${calls/40}\n`);
}, 600000);
