import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // Hooks start servers and child processes: under load (2 shared cores) the 10 s default skipped whole files.
    hookTimeout: 120_000,
    globalSetup: ['./test/support/global-setup.ts'],
    pool: 'forks',
    // The SDK's notice that its Node 20 support ends (Lambda runs Node 22) would repeat in every test file.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
