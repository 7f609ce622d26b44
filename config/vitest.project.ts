import { defineProject, type TestProjectConfiguration } from 'vitest/config';

/**
 * The shared vitest settings of one workspace package. Tests import sibling packages by name; the
 * `@msys/source` export condition makes them resolve to TypeScript sources, so tests never need a build.
 *
 * @param name - the project name shown by vitest (the package name)
 * @param overrides - extra `test` options for this project
 * @returns a vitest project configuration
 */
export function msysProject(
  name: string,
  overrides: Record<string, unknown> = {},
): ReturnType<typeof defineProject> & TestProjectConfiguration {
  // Vite's default server conditions, with ours first.
  const conditions = ['@msys/source', 'module', 'node', 'development|production'];
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@msys/source'] } },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...overrides,
    },
  });
}
