/** The `nightly` workflow the adapter tests pause and resume, seeded straight into the local stack. */
import type { LocalStack } from '../../infra/local/index.js';

/**
 * nightly: start (ON_DEMAND) → raw-crawler; after-crawl (CONDITIONAL, active) → load; hourly (SCHEDULED, active)
 * → publish; weekly (SCHEDULED, never started); on-event (EVENT). Runs are the caller's to add.
 */
export function seedNightlyWorkflow(stack: LocalStack): void {
  stack.glue.createWorkflow({ Name: 'nightly' });
  stack.glue.createJob('load');
  stack.glue.createJob('publish');
  stack.glue.createCrawler({ Name: 'raw-crawler', DatabaseName: 'raw', Targets: { S3Targets: [{ Path: 's3://raw/' }] } });
  stack.glue.createTrigger({ Name: 'start', WorkflowName: 'nightly', Type: 'ON_DEMAND', Actions: [{ CrawlerName: 'raw-crawler' }] });
  stack.glue.createTrigger({
    Name: 'after-crawl',
    WorkflowName: 'nightly',
    Type: 'CONDITIONAL',
    StartOnCreation: true,
    Predicate: { Conditions: [{ LogicalOperator: 'EQUALS', CrawlerName: 'raw-crawler', CrawlState: 'SUCCEEDED' }] },
    Actions: [{ JobName: 'load' }],
  });
  stack.glue.createTrigger({
    Name: 'hourly',
    WorkflowName: 'nightly',
    Type: 'SCHEDULED',
    Schedule: 'cron(0 * * * ? *)',
    StartOnCreation: true,
    Actions: [{ JobName: 'publish' }],
  });
  stack.glue.createTrigger({ Name: 'weekly', WorkflowName: 'nightly', Type: 'SCHEDULED', Schedule: 'cron(0 0 ? * 1 *)', Actions: [{ JobName: 'publish' }] });
  stack.glue.createTrigger({ Name: 'on-event', WorkflowName: 'nightly', Type: 'EVENT', Actions: [{ JobName: 'load' }], EventBatchingCondition: { BatchSize: 1 } });
}
