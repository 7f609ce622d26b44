import { defineConfig, type Options } from 'tsup';

/**
 * The shared tsup build of one public package: ESM and CJS, declarations for both, shared chunks so a
 * class is defined once per format even when it is reachable from several subpath exports.
 *
 * @param entry - entry name → source file, one per `exports` subpath
 * @param extra - package-specific tsup options
 * @returns the tsup configuration
 */
export function msysTsup(entry: Record<string, string>, extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: true,
    shims: true,
    treeshake: true,
    ...extra,
  });
}
