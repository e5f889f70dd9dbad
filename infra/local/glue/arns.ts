import { glueError } from '../errors.js';

export type GlueResourceKind = 'database' | 'table' | 'trigger' | 'workflow' | 'crawler' | 'job';

export interface GlueResourceRef {
  readonly kind: GlueResourceKind;
  /** `[name]`, or `[database, table]` for tables. */
  readonly path: readonly string[];
}

export interface ArnContext {
  readonly region: string;
  readonly accountId: string;
}

export function glueArn(ctx: ArnContext, kind: GlueResourceKind, ...path: string[]): string {
  return `arn:aws:glue:${ctx.region}:${ctx.accountId}:${kind}/${path.join('/')}`;
}

/** Parses `arn:aws:glue:REGION:ACCOUNT:KIND/NAME` (tables: `table/DB/NAME`). */
export function parseGlueArn(ctx: ArnContext, arn: string): GlueResourceRef {
  const match = /^arn:aws[a-z-]*:glue:([a-z0-9-]+):(\d{12}):([a-z]+)\/(.+)$/.exec(arn);
  if (match === null) throw glueError.invalidInput(`Invalid resource ARN: ${arn}`);
  const [, region, account, kind = '', rest = ''] = match;
  if (region !== ctx.region || account !== ctx.accountId) {
    throw glueError.entityNotFound(`Resource ${arn} does not exist in this account and region`);
  }
  const path = rest.split('/');
  const expectedParts = kind === 'table' ? 2 : 1;
  const valid =
    (kind === 'database' || kind === 'table' || kind === 'trigger' || kind === 'workflow' || kind === 'crawler' || kind === 'job') &&
    path.length === expectedParts &&
    path.every((p) => p.length > 0);
  if (!valid) throw glueError.invalidInput(`Invalid resource ARN: ${arn}`);
  return { kind, path };
}
