// Heap accounting for the benchmarks: the binary that links heap_counter.cc
// replaces the global operator new / operator delete (every variant: sized,
// aligned, nothrow, array) with versions that can count live heap bytes.
//
// Counting is off except while a HeapCounter exists, so timed benchmarks pay
// one predictable branch per allocation and nothing more. Bytes are what the
// allocator reserved for each block (malloc_usable_size), so a 1-byte request
// counts as the 24 bytes glibc really hands out; glibc's own 8-byte chunk
// header per block is not included (blocks() lets a reader add it).
//
// Single-threaded use: one HeapCounter at a time.
#pragma once

#include <cstdint>

namespace tapir::bench {

class HeapCounter {
 public:
  HeapCounter();
  ~HeapCounter();
  HeapCounter(const HeapCounter&) = delete;
  HeapCounter& operator=(const HeapCounter&) = delete;

  // Net change since construction: allocated minus freed.
  std::int64_t bytes() const;
  std::int64_t blocks() const;
  // Blocks allocated since construction (freed ones included).
  std::int64_t allocations() const;

 private:
  std::int64_t bytes0_;
  std::int64_t blocks0_;
  std::int64_t allocations0_;
};

}  // namespace tapir::bench
