// Filling TAPI's variably sized structures (dwTotalSize / dwNeededSize /
// dwUsedSize with offset and size fields for the variable parts).
//
// The application sets dwTotalSize. Less than the fixed part for its
// negotiated version: LINEERR_STRUCTURETOOSMALL. Otherwise the fixed part is
// filled and dwNeededSize says how much the whole would take; the variable
// parts are written only if all of them fit (dwUsedSize then equals
// dwNeededSize), else their size/offset fields stay zero and the application
// retries with a larger buffer.
//
// The structures are packed (alignment 1), so the writer fills an aligned
// local copy and copies bytes out.
#pragma once

#include <tapi.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace tapir::capi {

template <class T>
class VarWriter {
 public:
  // `fixedSize`: the fixed part for the application's version (<= sizeof(T)).
  VarWriter(T* out, std::size_t fixedSize = sizeof(T)) : out_(out), fixed_(fixedSize) {
    std::memset(&local_, 0, sizeof local_);
    if (out_ != nullptr) std::memcpy(&total_, out_, sizeof total_);
  }

  // LINEERR_INVALPOINTER or LINEERR_STRUCTURETOOSMALL, or 0.
  LONG check() const {
    if (out_ == nullptr) return static_cast<LONG>(LINEERR_INVALPOINTER);
    if (total_ < fixed_) return static_cast<LONG>(LINEERR_STRUCTURETOOSMALL);
    return 0;
  }

  T& fixed() { return local_; }

  // A NUL-terminated string as a variable part (nothing for an empty string).
  void string(DWORD T::*size, DWORD T::*offset, std::string_view s) {
    if (s.empty()) return;
    std::string withNul(s);
    withNul.push_back('\0');
    bytes(size, offset, withNul.data(), withNul.size());
  }

  void bytes(DWORD T::*size, DWORD T::*offset, const void* data, std::size_t n) {
    if (n == 0) return;
    local_.*size = static_cast<DWORD>(n);
    local_.*offset = static_cast<DWORD>(fixed_ + tail_.size());
    parts_.push_back(Part{size, offset});
    tail_.append(static_cast<const char*>(data), n);
  }

  // Where the next variable part will start, from the start of the structure.
  std::size_t nextOffset() const { return fixed_ + tail_.size(); }

  // Bytes other parts point into (strings of an array's entries); no field.
  void raw(const void* data, std::size_t n) { tail_.append(static_cast<const char*>(data), n); }
  void rawString(std::string_view s) {
    tail_.append(s.data(), s.size());
    tail_.push_back('\0');
  }

  // Writes the structure; returns 0.
  LONG finish() {
    const std::size_t needed = fixed_ + tail_.size();
    const bool fits = needed <= total_;
    if (!fits) {
      for (const Part& p : parts_) {
        local_.*(p.size) = 0;
        local_.*(p.offset) = 0;
      }
    }
    local_.dwTotalSize = total_;
    local_.dwNeededSize = static_cast<DWORD>(needed);
    local_.dwUsedSize = static_cast<DWORD>(fits ? needed : fixed_);
    std::memcpy(out_, &local_, fixed_);
    if (fits && !tail_.empty())
      std::memcpy(reinterpret_cast<char*>(out_) + fixed_, tail_.data(), tail_.size());
    return 0;
  }

 private:
  struct Part {
    DWORD T::*size;
    DWORD T::*offset;
  };
  T* out_;
  std::size_t fixed_;
  DWORD total_ = 0;
  T local_;
  std::string tail_;
  std::vector<Part> parts_;
};

}  // namespace tapir::capi
