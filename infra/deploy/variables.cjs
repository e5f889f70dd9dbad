/* global process */
// Deployment values derived from the contracts the functions bundle (osls resolves `${file(./infra/deploy/variables.cjs):name}`):
// the guarded databases scope the EventBridge rules and the IAM policies, so the guard can touch only what it guards.
'use strict';
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

// DRIFT_GUARD_CONTRACTS_DIR: the tests package against their own copy, never a user's work in progress.
const CONTRACTS = process.env.DRIFT_GUARD_CONTRACTS_DIR || join(__dirname, '..', '..', 'contracts');

function guardedDatabases() {
  const names = readdirSync(CONTRACTS).filter((name) => !name.startsWith('.') && statSync(join(CONTRACTS, name)).isDirectory());
  if (names.length === 0) throw new Error(`no contracts under ${CONTRACTS}: the guard would guard nothing (create one with drift-guard snapshot)`);
  return names.sort();
}

const glueArn = (resource) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:glue:\${AWS::Region}:\${AWS::AccountId}:${resource}` });

/**
 * Lambda keeps at least 100 of an account's concurrency unreserved (AWS Lambda developer guide, "Configuring reserved
 * concurrency": PutFunctionConcurrency is refused when fewer would remain).
 */
const UNRESERVED_MINIMUM = 100;

/** A deploy parameter (`--param="name=value"` or serverless.yml params), as osls resolves it. */
const param = (resolveVariable, name) => resolveVariable(`param:${name}`);

/** The guard's reserved concurrency: a positive integer, refused here rather than by CloudFormation mid-deploy. */
async function guardConcurrency({ resolveVariable }) {
  const value = await param(resolveVariable, 'guardConcurrency');
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^[1-9]\d*$/.test(text)) {
    throw new Error(
      `guardConcurrency must be a positive integer (got ${JSON.stringify(value)}): it is the concurrency reserved for the guard. ` +
        `Lambda keeps at least ${UNRESERVED_MINIMUM} of the account's concurrency unreserved, so the account's concurrency quota must be ` +
        `at least guardConcurrency + ${UNRESERVED_MINIMUM} (Service Quotas, "Concurrent executions")`,
    );
  }
  return Number(text);
}

/** Whether the guard stops RUNNING workflow runs when it holds a workflow (README "Stopping running runs"). */
async function stopRunningRuns({ resolveVariable }) {
  const value = await param(resolveVariable, 'stopRunningRuns');
  const text = typeof value === 'boolean' ? String(value) : value;
  if (text !== 'true' && text !== 'false') throw new Error(`stopRunningRuns must be true or false (got ${JSON.stringify(value)})`);
  return text;
}

/** IAM resource names: a database name or prefix that could widen or break an ARN pattern is refused. */
const DATABASE_PREFIX = /^[a-z0-9_-]+$/;

/**
 * The guarded databases' IAM scope: each one's ARNs (empty prefix), or one prefix pattern that every guarded database
 * starts with (README "IAM per function": the policy then stays the same size however many databases are guarded).
 */
async function guardedCatalogArns({ resolveVariable }) {
  const value = await param(resolveVariable, 'guardedDatabasePrefix');
  return catalogArnsFor(guardedDatabases(), typeof value === 'string' ? value.trim() : value);
}

/** The catalog ARNs for these databases, exact or under `prefix` (validated here: tests call it directly). */
function catalogArnsFor(databases, prefix) {
  if (prefix === undefined || prefix === null || prefix === '') {
    return ['catalog', ...databases.flatMap((db) => [`database/${db}`, `table/${db}/*`])].map(glueArn);
  }
  if (typeof prefix !== 'string' || !DATABASE_PREFIX.test(prefix)) {
    throw new Error(`guardedDatabasePrefix must be lowercase letters, digits, _ or - (got ${JSON.stringify(prefix)}): Glue database names are lowercase, and a wildcard would widen the scope`);
  }
  const outside = databases.filter((db) => !db.startsWith(prefix));
  if (outside.length > 0) {
    throw new Error(`guardedDatabasePrefix "${prefix}" does not cover every guarded database (${outside.join(', ')}): the guard could not read or restore their tables`);
  }
  return ['catalog', `database/${prefix}*`, `table/${prefix}*/*`].map(glueArn);
}

module.exports = {
  guardConcurrency,
  stopRunningRuns,
  guardedDatabases: async () => guardedDatabases(),
  /** The catalog, each guarded database and its tables: what GetTable / GetTableVersion / GetTables / UpdateTable need. */
  guardedCatalogArns,
  catalogArnsFor,
};
