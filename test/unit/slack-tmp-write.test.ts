import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ALERT_FIXTURES, sampleAlerts, toFixture } from '../fixtures/alerts/sample-alerts.js';
import { parseChatbotNotification, renderSlackMessage } from '../../functions/core/slack-blocks.js';

it('writes', () => {
  for (const [name, alert] of Object.entries(sampleAlerts())) {
    writeFileSync(join(ALERT_FIXTURES, name), `${JSON.stringify(toFixture(alert), null, 2)}\n`);
    writeFileSync(join('/tmp', `slack-${name}`), `${JSON.stringify(renderSlackMessage(parseChatbotNotification(alert.body), alert.attributes), null, 2)}\n`);
  }
  expect(1).toBe(1);
});
