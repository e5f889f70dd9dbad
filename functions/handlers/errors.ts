/** An invocation whose event a handler could not read: thrown, so the platform's retry and dead-letter path keep it. */
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
  constructor(readonly problems: readonly string[], options?: { cause?: unknown }) {
    super(`malformed Glue event: ${problems.join('; ')}`, options);
  }
}
