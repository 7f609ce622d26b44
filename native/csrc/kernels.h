// Dense linear-algebra hot loops shared by @msys packages. Pure functions over raw buffers: the N-API
// layer (addon.cc) validates arguments before calling these, so they never see bad lengths.
#pragma once
#include <cstddef>

namespace msys {

// Dot products accumulate in double with four partial sums. The TypeScript twin uses the same four
// accumulators in the same order, so both paths give bit-identical results for these reductions.
double dot_f32(const float* a, const float* b, size_t n);
double dot_f64(const double* a, const double* b, size_t n);
double sum_f32(const float* a, size_t n);
double sum_f64(const double* a, size_t n);

// y[i] += alpha * x[i]
void axpy_f32(float alpha, const float* x, float* y, size_t n);
void axpy_f64(double alpha, const double* x, double* y, size_t n);

// C = alpha * A(m×k) · B(k×n) + beta * C(m×n), all row-major float32.
void gemm_f32(size_t m, size_t n, size_t k, float alpha, const float* a, const float* b, float beta, float* c);

}  // namespace msys
