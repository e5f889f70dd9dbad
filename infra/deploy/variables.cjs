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

module.exports = {
  guardedDatabases: async () => guardedDatabases(),
  /** The catalog, each guarded database and its tables: what GetTable / GetTableVersions / GetTables / UpdateTable need. */
  guardedCatalogArns: async () => ['catalog', ...guardedDatabases().flatMap((db) => [`database/${db}`, `table/${db}/*`])].map(glueArn),
};
