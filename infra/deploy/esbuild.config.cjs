// esbuild options for the Lambda bundles: serverless-esbuild reads them (serverless.yml custom.esbuild.config), and
// so do the bundle benchmark and the bundle test, so what is measured and tested is what ships.
'use strict';
const { join } = require('node:path');

const lambdaBundleOptions = {
  bundle: true,
  minify: true,
  sourcemap: false,
  target: 'node22',
  platform: 'node',
  format: 'esm',
  mainFields: ['module', 'main'],
  // ESM bundles of CommonJS dependencies need a `require`.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  alias: {
    '@aws-sdk/credential-provider-node': join(__dirname, 'lambda-credentials.mjs'),
    lodash: join(__dirname, 'lodash-subset.mjs'),
  },
};

// serverless-esbuild takes everything from this file when it is given one: its own options go here too.
module.exports = () => ({
  ...lambdaBundleOptions,
  outputFileExtension: '.mjs',
  // The AWS SDK is bundled (tree-shaken), not taken from the runtime: the version tested is the version run.
  exclude: [],
  packager: 'npm',
});
module.exports.lambdaBundleOptions = lambdaBundleOptions;
