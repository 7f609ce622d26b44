import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'native/vitest.config.ts',
      // The native package's suite again with the addon disabled: every twin must pass the same tests.
      'native/vitest.twin.config.ts',
    ],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**', 'native/src/**'],
      reportsDirectory: 'coverage',
    },
  },
});
