{
  "targets": [
    {
      "target_name": "msys_native",
      "sources": ["csrc/addon.cc", "csrc/kernels.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno"],
      "cflags": ["-O3"]
    }
  ]
}
