import { axpy, dot, gemm, rawBinding, twin } from '@msys/native';
import type { Scenario, SuiteFactory } from '../harness.js';

function rand32(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(i * 12.9898) * 0.5;
  return a;
}

/**
 * Native vs twin for dot/axpy/gemm at several sizes. The smallest sizes locate the cut-off below which the
 * N-API call costs more than it saves (NATIVE_CUTOFFS in native/src/index.ts).
 */
const suite: SuiteFactory = ({ smoke }) => {
  const nb = rawBinding();
  const scenarios: Scenario[] = [];
  for (const n of smoke ? [16, 1024] : [8, 64, 128, 256, 512, 1024, 4096, 65_536]) {
    const a = rand32(n);
    const b = rand32(n);
    const y = rand32(n);
    scenarios.push({
      name: `dot f32 n=${n} (native vs twin)`,
      fn: () => (nb ? nb.dotF32(a, b) : dot(a, b)),
      peer: { name: 'twin', fn: () => twin.dot(a, b) },
      judged: false,
    });
    scenarios.push({
      name: `axpy f32 n=${n} (native vs twin)`,
      fn: () => (nb ? nb.axpyF32(1e-7, a, y) : axpy(1e-7, a, y)),
      peer: { name: 'twin', fn: () => twin.axpy(1e-7, a, y) },
      judged: false,
    });
  }
  for (const n of smoke ? [8, 64] : [2, 4, 8, 16, 64, 128, 256]) {
    const a = rand32(n * n);
    const b = rand32(n * n);
    const c = new Float32Array(n * n);
    scenarios.push({
      name: `gemm f32 ${n}×${n}×${n} (native vs twin)`,
      fn: () => (nb ? nb.gemmF32(n, n, n, a, b, c, 1, 0) : gemm(n, n, n, a, b, c)),
      peer: { name: 'twin', fn: () => twin.gemm(n, n, n, a, b, c) },
      judged: false,
      timeMs: n >= 128 ? 2000 : 1000,
    });
  }
  return { package: 'native', scenarios };
};

export default suite;
