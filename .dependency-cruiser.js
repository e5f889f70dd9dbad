// @ts-check
/**
 * Import cycles are errors in functions/ and infra/ (`npm run lint:cycles`, part of `npm run lint`).
 * Type-only imports count: TypeScript erases them, so such a cycle cannot hand a module a half-initialised
 * import at run time, but it still ties two concerns to each other; it is reported under its own name.
 * test/unit/import-cycles.test.ts runs this configuration against test/fixtures/import-cycles/.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-runtime-cycle',
      severity: 'error',
      comment:
        'An import cycle that survives compilation: whichever module loads first sees the other half-initialised. ' +
        'Move what both need into a module of its own.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-type-cycle',
      severity: 'error',
      comment:
        'An import cycle closed by `import type`: erased at run time, but the modules still depend on each other. ' +
        'Move the shared type or function into a module both can import.',
      from: {},
      to: { circular: true, via: { dependencyTypes: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    // Keep type-only imports (`import type`) in the graph; they are tagged 'type-only'.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    skipAnalysisNotInRules: true,
  },
};
