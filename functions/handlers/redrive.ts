/**
 * A Lambda failure-destination record (what the dead-letter queue holds for an invocation that failed after
 * Lambda's retries) wraps the original event in `requestPayload`: redriving one hands back the event inside.
 */
import * as z from 'zod/mini';

const destinationRecord = z.looseObject({
  version: z.string(),
  requestContext: z.looseObject({ functionArn: z.string() }),
  requestPayload: z.unknown(),
});

export function unwrapRedrive(event: unknown): unknown {
  const record = destinationRecord.safeParse(event);
  return record.success ? record.data.requestPayload : event;
}
