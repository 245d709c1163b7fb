// Module entry. On Linux the SG_IO functions are installed; elsewhere the module loads and reports
// `supported: false` with the platform, so callers can say plainly what is missing.
#include <napi.h>
#ifdef __linux__
#include "sg_io.h"
#endif

namespace {

const char* PlatformName() {
#if defined(__linux__)
  return "linux";
#elif defined(__APPLE__)
  return "darwin";
#elif defined(_WIN32)
  return "win32";
#else
  return "unknown";
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("platform", Napi::String::New(env, PlatformName()));
#ifdef __linux__
  exports.Set("supported", Napi::Boolean::New(env, true));
  openimapi::InitSg(env, exports);
#else
  exports.Set("supported", Napi::Boolean::New(env, false));
#endif
  return exports;
}

}  // namespace

NODE_API_MODULE(openimapi_sg, Init)
