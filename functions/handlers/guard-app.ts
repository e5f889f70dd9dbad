/**
 * Wiring for the guard handler: parse the event, let the core guard decide, log the outcome. Kept
 * apart from guard.ts (which builds everything from the environment) so tests and the local stack can
 * wire the same handler to other clients.
 */
import { InputErrors } from '../core/errors.js';
import { parseGlueEvent, unwrapRedrive, workFor } from '../core/guard/glue-events.js';
import type { Guard, GuardLog, TableResult } from '../core/guard/guard.js';

export interface GuardSummary {
  readonly eventId: string;
  readonly detailType: string;
  readonly tables: readonly { readonly database: string; readonly table: string; readonly outcome: string; readonly incidentId?: string; readonly alerted?: boolean }[];
}

/** A Glue event the guard could not read: thrown, so the platform's retry and dead-letter path keep it. */
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
  constructor(readonly problems: readonly string[], options?: { cause?: unknown }) {
    super(`malformed Glue event: ${problems.join('; ')}`, options);
  }
}

export interface HandlerLog extends GuardLog {
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

function summarise(result: TableResult): GuardSummary['tables'][number] {
  const { database, table, result: outcome } = result;
  if ('incidentId' in outcome) return { database, table, outcome: outcome.outcome, incidentId: outcome.incidentId, alerted: outcome.alerted };
  return { database, table, outcome: outcome.outcome };
}

export function createGuardHandler(guard: Guard, log: HandlerLog) {
  return async (event: unknown): Promise<GuardSummary> => {
    let parsed;
    try {
      parsed = parseGlueEvent(unwrapRedrive(event));
    } catch (error) {
      if (!(error instanceof InputErrors)) throw error;
      const problems = error.errors.map((e) => `${e.field}: ${e.expected}`);
      log.error('malformed Glue event rejected', { problems });
      throw new MalformedEventError(problems, { cause: error });
    }
    const results = await guard.handle(workFor(parsed), { region: parsed.region, account: parsed.account, eventId: parsed.id });
    const summary: GuardSummary = { eventId: parsed.id, detailType: parsed['detail-type'], tables: results.map(summarise) };
    log.info('event handled', { eventId: summary.eventId, detailType: summary.detailType, tables: summary.tables });
    return summary;
  };
}
