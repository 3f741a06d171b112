// Replacement global allocation functions that feed HeapCounter. Linked into
// benchmark binaries only, never into the libraries or the server.
#include "heap_counter.h"

#include <malloc.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace tapir::bench {
namespace {

std::atomic<int> gCounters{0};  // live HeapCounter objects
std::atomic<std::int64_t> gBytes{0};
std::atomic<std::int64_t> gBlocks{0};
std::atomic<std::int64_t> gAllocations{0};

void noteAlloc(void* p) {
  if (gCounters.load(std::memory_order_relaxed) == 0) return;
  gBytes.fetch_add(static_cast<std::int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  gBlocks.fetch_add(1, std::memory_order_relaxed);
  gAllocations.fetch_add(1, std::memory_order_relaxed);
}

void release(void* p) noexcept {
  if (p == nullptr) return;
  if (gCounters.load(std::memory_order_relaxed) != 0) {
    gBytes.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
    gBlocks.fetch_sub(1, std::memory_order_relaxed);
  }
  std::free(p);
}

void* tryAllocate(std::size_t n, std::size_t align) noexcept {
  if (n == 0) n = 1;
  void* p = nullptr;
  if (align <= alignof(std::max_align_t)) {
    p = std::malloc(n);
  } else if (posix_memalign(&p, align, n) != 0) {
    p = nullptr;
  }
  if (p != nullptr) noteAlloc(p);
  return p;
}

// The operator new contract: retry through the new-handler, else throw.
void* allocate(std::size_t n, std::size_t align) {
  for (;;) {
    if (void* p = tryAllocate(n, align)) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void* allocateNoThrow(std::size_t n, std::size_t align) noexcept {
  try {
    return allocate(n, align);
  } catch (...) {
    return nullptr;
  }
}

constexpr std::size_t kPlain = alignof(std::max_align_t);

}  // namespace

HeapCounter::HeapCounter()
    : bytes0_(gBytes.load()), blocks0_(gBlocks.load()), allocations0_(gAllocations.load()) {
  gCounters.fetch_add(1);
}

HeapCounter::~HeapCounter() {
  gCounters.fetch_sub(1);
}

std::int64_t HeapCounter::bytes() const {
  return gBytes.load() - bytes0_;
}
std::int64_t HeapCounter::blocks() const {
  return gBlocks.load() - blocks0_;
}
std::int64_t HeapCounter::allocations() const {
  return gAllocations.load() - allocations0_;
}

}  // namespace tapir::bench

using tapir::bench::allocate;
using tapir::bench::allocateNoThrow;
using tapir::bench::kPlain;
using tapir::bench::release;

void* operator new(std::size_t n) {
  return allocate(n, kPlain);
}
void* operator new[](std::size_t n) {
  return allocate(n, kPlain);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return allocateNoThrow(n, kPlain);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return allocateNoThrow(n, kPlain);
}
void* operator new(std::size_t n, std::align_val_t a) {
  return allocate(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return allocate(n, static_cast<std::size_t>(a));
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocateNoThrow(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocateNoThrow(n, static_cast<std::size_t>(a));
}

void operator delete(void* p) noexcept {
  release(p);
}
void operator delete[](void* p) noexcept {
  release(p);
}
void operator delete(void* p, std::size_t) noexcept {
  release(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  release(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  release(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  release(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  release(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  release(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  release(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  release(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  release(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  release(p);
}
