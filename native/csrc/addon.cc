// N-API surface of @msys/native. Every function re-validates its arguments: the TypeScript loader
// checks them too, but the binding must never crash the process when called directly.
#include <napi.h>

#include <cmath>
#include <string>

#include "kernels.h"

namespace {

bool IsTyped(const Napi::Value& v, napi_typedarray_type type) {
  return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == type;
}

Napi::Value ThrowType(const Napi::Env& env, const std::string& msg) {
  Napi::TypeError::New(env, msg).ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value ThrowRange(const Napi::Env& env, const std::string& msg) {
  Napi::RangeError::New(env, msg).ThrowAsJavaScriptException();
  return env.Undefined();
}

template <typename Arr, napi_typedarray_type Type, typename T>
Napi::Value Dot(const Napi::CallbackInfo& info, double (*fn)(const T*, const T*, size_t), const char* name) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !IsTyped(info[0], Type) || !IsTyped(info[1], Type))
    return ThrowType(env, std::string(name) + ": a and b must both be typed arrays of the same element type");
  auto a = info[0].As<Arr>();
  auto b = info[1].As<Arr>();
  if (a.ElementLength() != b.ElementLength())
    return ThrowRange(env, std::string(name) + ": a and b must have the same length");
  return Napi::Number::New(env, fn(a.Data(), b.Data(), a.ElementLength()));
}

template <typename Arr, napi_typedarray_type Type, typename T>
Napi::Value Sum(const Napi::CallbackInfo& info, double (*fn)(const T*, size_t), const char* name) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !IsTyped(info[0], Type))
    return ThrowType(env, std::string(name) + ": a must be a typed array of the expected element type");
  auto a = info[0].As<Arr>();
  return Napi::Number::New(env, fn(a.Data(), a.ElementLength()));
}

template <typename Arr, napi_typedarray_type Type, typename T>
Napi::Value Axpy(const Napi::CallbackInfo& info, void (*fn)(T, const T*, T*, size_t), const char* name) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsNumber())
    return ThrowType(env, std::string(name) + ": alpha must be a number");
  if (!IsTyped(info[1], Type) || !IsTyped(info[2], Type))
    return ThrowType(env, std::string(name) + ": x and y must both be typed arrays of the same element type");
  auto x = info[1].As<Arr>();
  auto y = info[2].As<Arr>();
  if (x.ElementLength() != y.ElementLength())
    return ThrowRange(env, std::string(name) + ": x and y must have the same length");
  fn(static_cast<T>(info[0].As<Napi::Number>().DoubleValue()), x.Data(), y.Data(), x.ElementLength());
  return info[2];
}

bool ReadDim(const Napi::Value& v, size_t* out) {
  if (!v.IsNumber()) return false;
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d < 0 || d != std::floor(d) || d > 4294967295.0) return false;
  *out = static_cast<size_t>(d);
  return true;
}

// gemmF32(m, n, k, a, b, c, alpha, beta)
Napi::Value GemmF32(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t m = 0, n = 0, k = 0;
  if (info.Length() < 8) return ThrowType(env, "gemmF32: expected (m, n, k, a, b, c, alpha, beta)");
  if (!ReadDim(info[0], &m) || !ReadDim(info[1], &n) || !ReadDim(info[2], &k))
    return ThrowRange(env, "gemmF32: m, n and k must be non-negative integers");
  if (!IsTyped(info[3], napi_float32_array) || !IsTyped(info[4], napi_float32_array) ||
      !IsTyped(info[5], napi_float32_array))
    return ThrowType(env, "gemmF32: a, b and c must be Float32Array");
  if (!info[6].IsNumber() || !info[7].IsNumber()) return ThrowType(env, "gemmF32: alpha and beta must be numbers");
  auto a = info[3].As<Napi::Float32Array>();
  auto b = info[4].As<Napi::Float32Array>();
  auto c = info[5].As<Napi::Float32Array>();
  // Compare in 128-bit-safe arithmetic: m, n, k are < 2^32 so each product fits in 64 bits.
  if (a.ElementLength() != m * k) return ThrowRange(env, "gemmF32: a.length must equal m*k");
  if (b.ElementLength() != k * n) return ThrowRange(env, "gemmF32: b.length must equal k*n");
  if (c.ElementLength() != m * n) return ThrowRange(env, "gemmF32: c.length must equal m*n");
  msys::gemm_f32(m, n, k, static_cast<float>(info[6].As<Napi::Number>().DoubleValue()), a.Data(), b.Data(),
                 static_cast<float>(info[7].As<Napi::Number>().DoubleValue()), c.Data());
  return info[5];
}

Napi::Value DotF32(const Napi::CallbackInfo& i) { return Dot<Napi::Float32Array, napi_float32_array, float>(i, msys::dot_f32, "dotF32"); }
Napi::Value DotF64(const Napi::CallbackInfo& i) { return Dot<Napi::Float64Array, napi_float64_array, double>(i, msys::dot_f64, "dotF64"); }
Napi::Value SumF32(const Napi::CallbackInfo& i) { return Sum<Napi::Float32Array, napi_float32_array, float>(i, msys::sum_f32, "sumF32"); }
Napi::Value SumF64(const Napi::CallbackInfo& i) { return Sum<Napi::Float64Array, napi_float64_array, double>(i, msys::sum_f64, "sumF64"); }
Napi::Value AxpyF32(const Napi::CallbackInfo& i) { return Axpy<Napi::Float32Array, napi_float32_array, float>(i, msys::axpy_f32, "axpyF32"); }
Napi::Value AxpyF64(const Napi::CallbackInfo& i) { return Axpy<Napi::Float64Array, napi_float64_array, double>(i, msys::axpy_f64, "axpyF64"); }
Napi::Value Noop(const Napi::CallbackInfo& i) { return i.Env().Undefined(); }

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("dotF32", Napi::Function::New(env, DotF32, "dotF32"));
  exports.Set("dotF64", Napi::Function::New(env, DotF64, "dotF64"));
  exports.Set("sumF32", Napi::Function::New(env, SumF32, "sumF32"));
  exports.Set("sumF64", Napi::Function::New(env, SumF64, "sumF64"));
  exports.Set("axpyF32", Napi::Function::New(env, AxpyF32, "axpyF32"));
  exports.Set("axpyF64", Napi::Function::New(env, AxpyF64, "axpyF64"));
  exports.Set("gemmF32", Napi::Function::New(env, GemmF32, "gemmF32"));
  exports.Set("noop", Napi::Function::New(env, Noop, "noop"));
  return exports;
}

}  // namespace

NODE_API_MODULE(msys_native, Init)
