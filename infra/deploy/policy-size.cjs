// IAM's inline-policy limit, checked on the packaged template: "Role policy size cannot exceed 10,240 characters"
// (IAM User Guide, "IAM and AWS STS quotas": the aggregate of a role's inline policies; IAM does not count white space).
// A role over it fails mid-deploy in CloudFormation; `npm run package` (and `serverless deploy`) refuse it here instead.
'use strict';

const ROLE_POLICY_LIMIT = 10_240;

// Worst cases for what CloudFormation substitutes: the longest partition and region names, a 12-digit account, and a
// bound on the ARN of a resource of this stack (its names are the service, the stage and a short suffix).
const PSEUDO = { 'AWS::Partition': 'aws-us-gov', 'AWS::Region': 'ap-southeast-2', 'AWS::AccountId': '123456789012', 'AWS::StackName': 'x'.repeat(128) };
const REFERENCE = `arn:aws-us-gov:service:ap-southeast-2:123456789012:${'x'.repeat(128)}`;

/** The policy as IAM will store it, with every intrinsic function replaced by its longest plausible value. */
function resolved(node) {
  if (Array.isArray(node)) return node.map(resolved);
  if (node === null || typeof node !== 'object') return node;
  if ('Fn::Sub' in node) {
    const text = Array.isArray(node['Fn::Sub']) ? node['Fn::Sub'][0] : node['Fn::Sub'];
    return text.replace(/\$\{([^}]+)\}/g, (_, name) => PSEUDO[name] ?? REFERENCE);
  }
  if ('Ref' in node) return PSEUDO[node.Ref] ?? REFERENCE;
  if ('Fn::GetAtt' in node || 'Fn::ImportValue' in node || 'Fn::Join' in node || 'Fn::If' in node) return REFERENCE;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolved(value)]));
}

/** Characters of each IAM role's inline policies in a CloudFormation template: `{ LogicalId: size }`. */
function rolePolicySizes(template) {
  return Object.fromEntries(
    Object.entries(template.Resources || {})
      .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
      .map(([name, resource]) => [
        name,
        ((resource.Properties && resource.Properties.Policies) || []).reduce((sum, policy) => sum + JSON.stringify(resolved(policy.PolicyDocument)).length, 0),
      ]),
  );
}

/** Throws, naming the roles and the way out, when a role's inline policies would exceed IAM's limit. */
function assertRolePoliciesFit(template) {
  const over = Object.entries(rolePolicySizes(template)).filter(([, size]) => size > ROLE_POLICY_LIMIT);
  if (over.length === 0) return;
  throw new Error(
    `IAM role policy too large: ${over.map(([name, size]) => `${name} ${size} characters`).join(', ')}, over IAM's ${ROLE_POLICY_LIMIT} ` +
      `("Role policy size cannot exceed 10,240 characters", IAM and AWS STS quotas); CloudFormation would fail mid-deploy. ` +
      `Each guarded database adds two ARNs to the guard's and reconcile's policies: name the guarded databases with a common ` +
      `prefix and deploy with --param="guardedDatabasePrefix=<prefix>" (README "IAM per function")`,
  );
}

module.exports = { ROLE_POLICY_LIMIT, rolePolicySizes, assertRolePoliciesFit };
