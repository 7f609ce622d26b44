import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The raw functions the compiled addon exports (see csrc/addon.cc); each validates its own arguments. */
export interface NativeBinding {
  dotF32(a: Float32Array, b: Float32Array): number;
  dotF64(a: Float64Array, b: Float64Array): number;
  sumF32(a: Float32Array): number;
  sumF64(a: Float64Array): number;
  axpyF32(alpha: number, x: Float32Array, y: Float32Array): Float32Array;
  axpyF64(alpha: number, x: Float64Array, y: Float64Array): Float64Array;
  gemmF32(
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    alpha: number,
    beta: number,
  ): Float32Array;
  noop(): undefined;
}

/** Which implementation of the kernels is active, and why. */
export interface NativeInfo {
  /** `native` when the compiled addon is loaded, `twin` when the TypeScript twins run. */
  readonly active: 'native' | 'twin';
  /** A sentence saying why: the addon path that loaded, `MSYS_NO_NATIVE=1`, or the load error. */
  readonly reason: string;
  /** The load error message when the addon was wanted but failed to load. */
  readonly loadError?: string;
  /** Sizes below which the twins run even when the addon is loaded (the call would cost more). */
  readonly cutoffs: Readonly<{ dot: number; sum: number; axpy: number; gemmFlops: number }>;
}

interface LoadResult {
  binding: NativeBinding | undefined;
  reason: string;
  loadError?: string;
}

let loaded: LoadResult | undefined;

/** The package root: `src/` and `dist/` both sit one level below it. */
function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..');
}

/**
 * Loads the addon once, on first use (never at import time). node-gyp-build prefers a matching
 * prebuild under prebuilds/linux-x64 and falls back to build/Release; any failure selects the twins.
 * @internal
 */
export function loadBinding(): LoadResult {
  if (loaded) return loaded;
  if (process.env.MSYS_NO_NATIVE === '1') {
    loaded = { binding: undefined, reason: 'MSYS_NO_NATIVE=1 forces the TypeScript twins' };
    return loaded;
  }
  try {
    const require = createRequire(import.meta.url);
    const nodeGypBuild = require('node-gyp-build') as ((dir: string) => unknown) & {
      path(dir: string): string;
    };
    const root = packageRoot();
    const path = nodeGypBuild.path(root);
    const binding = nodeGypBuild(root) as NativeBinding;
    loaded = { binding, reason: `addon loaded from ${path}` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    loaded = {
      binding: undefined,
      reason: `addon unavailable, using the TypeScript twins: ${message}`,
      loadError: message,
    };
  }
  return loaded;
}
