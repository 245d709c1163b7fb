{
  "targets": [
    {
      "target_name": "openimapi_sg",
      "sources": ["src/addon/binding.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"],
      "conditions": [
        ["OS=='linux'", { "sources": ["src/addon/sg_io.cc"] }]
      ]
    }
  ]
}
