import { glueError } from '../errors.js';
import { parseGlueArn, type ArnContext, type GlueResourceRef } from './arns.js';

/** AWS allows 50 user tags per resource. */
export const MAX_TAGS_PER_RESOURCE = 50;

/** Tags keyed by resource ARN. `exists` tells whether the ARN names a live resource. */
export class GlueTags {
  private readonly byArn = new Map<string, Map<string, string>>();
  private readonly ctx: ArnContext;
  private readonly exists: (ref: GlueResourceRef) => boolean;

  constructor(ctx: ArnContext, exists: (ref: GlueResourceRef) => boolean) {
    this.ctx = ctx;
    this.exists = exists;
  }

  private checkedArn(arn: string): string {
    const ref = parseGlueArn(this.ctx, arn);
    if (!this.exists(ref)) throw glueError.entityNotFound(`Resource ${arn} not found.`);
    return arn;
  }

  tag(arn: string, tags: Readonly<Record<string, string>>): void {
    const key = this.checkedArn(arn);
    const current = new Map(this.byArn.get(key));
    for (const [k, v] of Object.entries(tags)) current.set(k, v);
    if (current.size > MAX_TAGS_PER_RESOURCE) {
      throw glueError.invalidInput(
        `Tag limit exceeded: resource ${arn} would have ${String(current.size)} tags, the limit is ${String(MAX_TAGS_PER_RESOURCE)}.`,
      );
    }
    this.byArn.set(key, current);
  }

  untag(arn: string, keys: readonly string[]): void {
    const key = this.checkedArn(arn);
    const current = this.byArn.get(key);
    if (current === undefined) return;
    for (const k of keys) current.delete(k);
  }

  get(arn: string): Record<string, string> {
    const key = this.checkedArn(arn);
    return Object.fromEntries(this.byArn.get(key) ?? []);
  }

  /** Tags without the existence check (for filters over resources known to exist). */
  peek(arn: string): Record<string, string> {
    return Object.fromEntries(this.byArn.get(arn) ?? []);
  }

  forget(arn: string): void {
    this.byArn.delete(arn);
  }

  clear(): void {
    this.byArn.clear();
  }
}
