/**
 * The native hot loops: which implementation is active, and the same results from the addon and the twins.
 * Run: pnpm tsx examples/native/kernels.ts   (MSYS_NO_NATIVE=1 forces the TypeScript twins)
 */
import { axpy, dot, gemm, nativeInfo, sum, twin } from '@msys/native';

const info = nativeInfo();
console.log(`implementation: ${info.active} — ${info.reason}`);
console.log(`cut-offs (below these the twins run anyway): ${JSON.stringify(info.cutoffs)}`);

const n = 100_000;
const a = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
const b = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
console.log(`dot(sin, cos) over ${n} points = ${dot(a, b).toFixed(6)} (twin: ${twin.dot(a, b).toFixed(6)})`);
console.log(`sum(sin) = ${sum(a).toFixed(6)}`);

const y = new Float32Array([1, 1, 1]);
axpy(2, new Float32Array([1, 2, 3]), y);
console.log(`axpy(2, [1,2,3], [1,1,1]) = [${[...y].join(', ')}]`);

// A 64×64 GEMM through the blocked native kernel, checked against the twin element by element.
const m = 64;
const A = Float32Array.from({ length: m * m }, (_, i) => (i % 7) - 3);
const B = Float32Array.from({ length: m * m }, (_, i) => (i % 5) - 2);
const C = gemm(m, m, m, A, B, new Float32Array(m * m));
const T = twin.gemm(m, m, m, A, B, new Float32Array(m * m));
const maxDiff = C.reduce((d, v, i) => Math.max(d, Math.abs(v - T[i]!)), 0);
console.log(
  `gemm ${m}×${m}×${m}: C[0] = ${C[0]}, C[last] = ${C[m * m - 1]}, max |native − twin| = ${maxDiff}`,
);
if (maxDiff !== 0) process.exitCode = 1;
