#include "kernels.h"

#include <algorithm>

namespace msys {

namespace {
template <typename T>
double dot_impl(const T* a, const T* b, size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += static_cast<double>(a[i]) * b[i];
    s1 += static_cast<double>(a[i + 1]) * b[i + 1];
    s2 += static_cast<double>(a[i + 2]) * b[i + 2];
    s3 += static_cast<double>(a[i + 3]) * b[i + 3];
  }
  for (; i < n; ++i) s0 += static_cast<double>(a[i]) * b[i];
  return (s0 + s1) + (s2 + s3);
}

template <typename T>
double sum_impl(const T* a, size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i];
    s1 += a[i + 1];
    s2 += a[i + 2];
    s3 += a[i + 3];
  }
  for (; i < n; ++i) s0 += a[i];
  return (s0 + s1) + (s2 + s3);
}
}  // namespace

double dot_f32(const float* a, const float* b, size_t n) { return dot_impl(a, b, n); }
double dot_f64(const double* a, const double* b, size_t n) { return dot_impl(a, b, n); }
double sum_f32(const float* a, size_t n) { return sum_impl(a, n); }
double sum_f64(const double* a, size_t n) { return sum_impl(a, n); }

void axpy_f32(float alpha, const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}
void axpy_f64(double alpha, const double* x, double* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

// Blocking: a KC×NC panel of B (64×256 floats = 64 KiB) stays in L2 while MC rows of A stream past;
// the innermost loop runs over contiguous columns of B and C so the compiler vectorizes it.
constexpr size_t MC = 64;
constexpr size_t KC = 64;
constexpr size_t NC = 256;

void gemm_f32(size_t m, size_t n, size_t k, float alpha, const float* a, const float* b, float beta, float* c) {
  for (size_t i = 0; i < m; ++i) {
    float* ci = c + i * n;
    if (beta == 0.0f) {
      std::fill(ci, ci + n, 0.0f);  // beta = 0 ignores NaN/Inf already in C, as BLAS does
    } else if (beta != 1.0f) {
      for (size_t j = 0; j < n; ++j) ci[j] *= beta;
    }
  }
  if (alpha == 0.0f || k == 0) return;
  for (size_t jj = 0; jj < n; jj += NC) {
    const size_t jend = std::min(jj + NC, n);
    for (size_t kk = 0; kk < k; kk += KC) {
      const size_t kend = std::min(kk + KC, k);
      for (size_t ii = 0; ii < m; ii += MC) {
        const size_t iend = std::min(ii + MC, m);
        for (size_t i = ii; i < iend; ++i) {
          float* __restrict ci = c + i * n;
          const float* ai = a + i * k;
          for (size_t p = kk; p < kend; ++p) {
            const float aip = alpha * ai[p];
            const float* __restrict bp = b + p * n;
            for (size_t j = jj; j < jend; ++j) ci[j] += aip * bp[j];
          }
        }
      }
    }
  }
}

}  // namespace msys
