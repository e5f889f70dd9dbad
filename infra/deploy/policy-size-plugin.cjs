// A local osls plugin (no dependency): refuses a template whose IAM role policies exceed IAM's inline limit, when
// packaging and when deploying (both finish packaging here), before anything reaches CloudFormation.
'use strict';
const { assertRolePoliciesFit } = require('./policy-size.cjs');

/** osls constructs each plugin with `new` and runs its hooks; this one has a single hook. */
function PolicySizeCheck(serverless) {
  this.hooks = {
    'before:aws:package:finalize:saveServiceState': () => assertRolePoliciesFit(serverless.service.provider.compiledCloudFormationTemplate),
  };
}

module.exports = PolicySizeCheck;
