// Linux SG_IO passthrough (sg driver version 3 interface, <scsi/sg.h>).
//
// Exports (all argument checking that needs JS semantics is done by the TypeScript wrapper; the
// checks here only keep the C++ side memory-safe):
//   open(path: string, exclusive: boolean): number
//       open(2) with O_RDWR | O_NONBLOCK (| O_EXCL), then SG_GET_VERSION_NUM to prove the node speaks
//       SG_IO (works on /dev/sg* and on block devices such as /dev/sr*). Throws an Error carrying
//       `errno` and `syscall` ('open' or 'ioctl').
//   close(fd: number): void
//   execute(fd, cdb: Buffer, direction: 0 none | 1 in | 2 out, data: Buffer | null, timeoutMs: number,
//           sense: Buffer): Promise<{ status, hostStatus, driverStatus, info, resid, senseLength, durationMs }>
//       One SG_IO ioctl on a libuv threadpool thread. Resolves with the sg_io_hdr outputs whatever
//       the SCSI status; rejects (Error with `errno`, syscall 'ioctl') only when the ioctl failed.
//       `data` and `sense` are filled in place; both stay referenced until the ioctl returns.
#include "sg_io.h"

#include <errno.h>
#include <fcntl.h>
#include <scsi/sg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <climits>
#include <string>

namespace openimapi {
namespace {

Napi::Value ErrnoError(Napi::Env env, int err, const char* syscall, const std::string& path) {
  std::string msg = std::string(strerror(err)) + " (" + syscall;
  if (!path.empty()) msg += " '" + path + "'";
  msg += ")";
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("errno", Napi::Number::New(env, err));
  e.Set("syscall", Napi::String::New(env, syscall));
  if (!path.empty()) e.Set("path", Napi::String::New(env, path));
  return e.Value();
}

Napi::Value ThrowType(Napi::Env env, const char* msg) {
  Napi::TypeError::New(env, msg).ThrowAsJavaScriptException();
  return env.Undefined();
}

double MonotonicMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

Napi::Value Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsBoolean()) return ThrowType(env, "open(path: string, exclusive: boolean)");
  std::string path = info[0].As<Napi::String>().Utf8Value();
  int flags = O_RDWR | O_NONBLOCK | O_CLOEXEC;
  if (info[1].As<Napi::Boolean>().Value()) flags |= O_EXCL;
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) {
    Napi::Error(env, ErrnoError(env, errno, "open", path)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int version = 0;
  int err = ioctl(fd, SG_GET_VERSION_NUM, &version) < 0 ? errno : version < 30000 ? ENOTTY : 0;
  if (err != 0) {
    ::close(fd);
    Napi::Error(env, ErrnoError(env, err, "ioctl", path)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, fd);
}

Napi::Value Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) return ThrowType(env, "close(fd: number)");
  int fd = info[0].As<Napi::Number>().Int32Value();
  if (::close(fd) < 0) {
    Napi::Error(env, ErrnoError(env, errno, "close", "")).ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

class SgIoWorker : public Napi::AsyncWorker {
 public:
  SgIoWorker(Napi::Env env, int fd, Napi::Buffer<uint8_t> cdb, int direction, Napi::Value data, uint32_t timeoutMs,
             Napi::Buffer<uint8_t> sense)
      : Napi::AsyncWorker(env, "openimapi:SG_IO"), deferred_(Napi::Promise::Deferred::New(env)), fd_(fd),
        direction_(direction), timeoutMs_(timeoutMs) {
    cdbLen_ = cdb.Length();
    memcpy(cdb_, cdb.Data(), cdbLen_);
    if (data.IsBuffer()) {
      Napi::Buffer<uint8_t> b = data.As<Napi::Buffer<uint8_t>>();
      dataRef_ = Napi::Persistent(b.As<Napi::Object>());
      data_ = b.Data();
      dataLen_ = b.Length();
    }
    senseRef_ = Napi::Persistent(sense.As<Napi::Object>());
    sense_ = sense.Data();
    senseLen_ = sense.Length();
  }

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    sg_io_hdr_t h;
    memset(&h, 0, sizeof h);
    h.interface_id = 'S';
    h.cmdp = cdb_;
    h.cmd_len = static_cast<unsigned char>(cdbLen_);
    h.dxfer_direction = dataLen_ == 0 ? SG_DXFER_NONE : direction_ == 1 ? SG_DXFER_FROM_DEV : SG_DXFER_TO_DEV;
    h.dxferp = dataLen_ == 0 ? nullptr : data_;
    h.dxfer_len = static_cast<unsigned int>(dataLen_);
    h.sbp = sense_;
    h.mx_sb_len = static_cast<unsigned char>(senseLen_);
    h.timeout = timeoutMs_;
    double t0 = MonotonicMs();
    // No retry on EINTR: the command may already have reached the device.
    if (ioctl(fd_, SG_IO, &h) < 0) {
      errno_ = errno;
    } else {
      status_ = h.status;
      hostStatus_ = h.host_status;
      driverStatus_ = h.driver_status;
      info_ = h.info;
      resid_ = h.resid;
      senseWritten_ = h.sb_len_wr;
    }
    durationMs_ = MonotonicMs() - t0;
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (errno_ != 0) {
      deferred_.Reject(ErrnoError(env, errno_, "ioctl", ""));
      return;
    }
    Napi::Object r = Napi::Object::New(env);
    r.Set("status", Napi::Number::New(env, status_));
    r.Set("hostStatus", Napi::Number::New(env, hostStatus_));
    r.Set("driverStatus", Napi::Number::New(env, driverStatus_));
    r.Set("info", Napi::Number::New(env, info_));
    r.Set("resid", Napi::Number::New(env, resid_));
    r.Set("senseLength", Napi::Number::New(env, senseWritten_));
    r.Set("durationMs", Napi::Number::New(env, durationMs_));
    deferred_.Resolve(r);
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  int fd_;
  int direction_;
  uint32_t timeoutMs_;
  unsigned char cdb_[16];
  size_t cdbLen_ = 0;
  Napi::ObjectReference dataRef_;
  uint8_t* data_ = nullptr;
  size_t dataLen_ = 0;
  Napi::ObjectReference senseRef_;
  uint8_t* sense_ = nullptr;
  size_t senseLen_ = 0;
  int errno_ = 0;
  unsigned status_ = 0, hostStatus_ = 0, driverStatus_ = 0, info_ = 0, senseWritten_ = 0;
  int resid_ = 0;
  double durationMs_ = 0;
};

Napi::Value Execute(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 6 || !info[0].IsNumber() || !info[1].IsBuffer() || !info[2].IsNumber() || !info[4].IsNumber() ||
      !info[5].IsBuffer()) {
    return ThrowType(env, "execute(fd, cdb: Buffer, direction: number, data: Buffer | null, timeoutMs: number, sense: Buffer)");
  }
  Napi::Buffer<uint8_t> cdb = info[1].As<Napi::Buffer<uint8_t>>();
  if (cdb.Length() < 1 || cdb.Length() > 16) return ThrowType(env, "cdb must be 1 to 16 bytes");
  int direction = info[2].As<Napi::Number>().Int32Value();
  if (direction < 0 || direction > 2) return ThrowType(env, "direction must be 0, 1 or 2");
  Napi::Value data = info[3];
  if (!data.IsBuffer() && !data.IsNull() && !data.IsUndefined()) return ThrowType(env, "data must be a Buffer or null");
  if (data.IsBuffer() && (direction == 0 || data.As<Napi::Buffer<uint8_t>>().Length() > UINT_MAX)) {
    return ThrowType(env, "data needs direction 1 or 2 and at most 4 GiB");
  }
  double timeout = info[4].As<Napi::Number>().DoubleValue();
  if (!(timeout >= 1)) return ThrowType(env, "timeoutMs must be >= 1");
  uint32_t timeoutMs = timeout >= static_cast<double>(UINT_MAX) ? UINT_MAX : static_cast<uint32_t>(timeout);
  Napi::Buffer<uint8_t> sense = info[5].As<Napi::Buffer<uint8_t>>();
  if (sense.Length() < 1 || sense.Length() > 252) return ThrowType(env, "sense must be 1 to 252 bytes");
  int fd = info[0].As<Napi::Number>().Int32Value();
  auto* w = new SgIoWorker(env, fd, cdb, direction, data, timeoutMs, sense);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

}  // namespace

void InitSg(Napi::Env env, Napi::Object exports) {
  exports.Set("open", Napi::Function::New(env, Open, "open"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("execute", Napi::Function::New(env, Execute, "execute"));
  exports.Set("SG_IO", Napi::Number::New(env, SG_IO));
}

}  // namespace openimapi
