// Bundled in place of `lodash` (see esbuild.config.cjs): json-schema-diff's set engine, which the guard's value-set
// cross-check uses, calls only these three functions, and `require('lodash')` cannot be tree-shaken (72 KB minified).
// es-toolkit/compat implements lodash's semantics and is tested against lodash's own test suite.
export { isEqual, sortBy, uniq } from 'es-toolkit/compat';
