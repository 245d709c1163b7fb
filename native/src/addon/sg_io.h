// SG_IO passthrough for Linux: the exports installed by InitSg.
#pragma once
#include <napi.h>

namespace openimapi {
void InitSg(Napi::Env env, Napi::Object exports);
}
