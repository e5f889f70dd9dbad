/** ARNs the guard builds itself (tags are read and written by ARN). */

/** The AWS partition of a region: aws, aws-cn (cn-*) or aws-us-gov (us-gov-*). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function glueArn(origin: { readonly region: string; readonly account: string }, resource: string): string {
  return `arn:${partitionOf(origin.region)}:glue:${origin.region}:${origin.account}:${resource}`;
}
