/** EventPublisherPort over EventBridge: one PutEvents entry per outcome; a rejected entry is an error. */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventPublisherPort } from '../core/ports.js';
import { awsCallError, EventRejectedError } from './errors.js';

export const DEFAULT_EVENT_SOURCE = 'glue-drift-guard';

export function createEventPublisher({
  client = new EventBridgeClient({}),
  eventBusName,
  source = DEFAULT_EVENT_SOURCE,
}: {
  client?: EventBridgeClient;
  eventBusName: string;
  source?: string;
}): EventPublisherPort {
  return {
    async publish(event) {
      let out;
      try {
        out = await client.send(
          new PutEventsCommand({
            Entries: [
              {
                EventBusName: eventBusName,
                Source: event.source ?? source,
                DetailType: event.detailType,
                Detail: JSON.stringify(event.detail),
                Resources: [...event.resources],
              },
            ],
          }),
        );
      } catch (error) {
        throw awsCallError('events:PutEvents', error);
      }
      // PutEvents answers 200 even when it rejects the entry: FailedEntryCount and the entry's ErrorCode say so.
      const entry = out.Entries?.[0];
      if ((out.FailedEntryCount ?? 0) > 0 || entry?.ErrorCode !== undefined) {
        throw new EventRejectedError(eventBusName, event.detailType, entry?.ErrorCode, entry?.ErrorMessage);
      }
    },
  };
}
