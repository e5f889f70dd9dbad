/**
 * Region and account for Glue ARNs, without an STS dependency: the region from the client's own configuration,
 * the account from the Glue Data Catalog itself (a database's CatalogId is the account id of the default catalog).
 */
import { GetDatabasesCommand, type GlueClient } from '@aws-sdk/client-glue';
import type { Origin } from '../core/ports.js';
import { awsCallError } from './errors.js';

const ACCOUNT_ID = /^\d{12}$/;

/** Region or account could not be found out; the caller has to pass it explicitly. */
export class OriginUnresolvedError extends Error {
  override readonly name = 'OriginUnresolvedError';
  constructor(
    readonly missing: 'region' | 'account',
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`could not determine the AWS ${missing}: ${detail}; pass it explicitly`, options);
  }
}

export async function resolveOrigin(client: GlueClient): Promise<Origin> {
  let region: string;
  try {
    region = await client.config.region();
  } catch (error) {
    throw new OriginUnresolvedError('region', 'the Glue client has no region (set AWS_REGION)', { cause: error });
  }
  let catalogId: string | undefined;
  try {
    catalogId = (await client.send(new GetDatabasesCommand({ MaxResults: 1 }))).DatabaseList?.[0]?.CatalogId;
  } catch (error) {
    throw awsCallError('glue:GetDatabases', error);
  }
  if (catalogId === undefined) {
    throw new OriginUnresolvedError('account', `the Glue Data Catalog in ${region} has no database to read the account id from`);
  }
  if (!ACCOUNT_ID.test(catalogId)) {
    throw new OriginUnresolvedError('account', `the catalog id "${catalogId}" is not a 12-digit account id`);
  }
  return { region, account: catalogId };
}
