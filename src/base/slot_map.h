// SlotMap: stable storage addressed by generation-checked Ids.
//
// Objects live in fixed-size blocks that never move, so references stay valid
// while other objects come and go. Freed slots are reused (LIFO), each reuse
// under a new generation so stale Ids miss. All operations are O(1).
#pragma once

#include <cassert>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "tapir/ids.h"

namespace tapir {

template <class T, class IdT>
class SlotMap {
  static constexpr std::uint32_t kBlockBits = 8;
  static constexpr std::uint32_t kBlockSize = 1u << kBlockBits;

  struct Slot {
    alignas(T) unsigned char storage[sizeof(T)];
    std::uint32_t generation = 1;  // the generation the next occupant gets
    bool occupied = false;
    T* object() noexcept { return std::launder(reinterpret_cast<T*>(storage)); }
  };
  struct Block {
    Slot slots[kBlockSize];
  };

 public:
  SlotMap() = default;
  SlotMap(const SlotMap&) = delete;
  SlotMap& operator=(const SlotMap&) = delete;
  ~SlotMap() { clear(); }

  // Constructs a T in a free slot. The constructor gets the new Id first.
  template <class... Args>
  std::pair<IdT, T&> emplace(Args&&... args) {
    std::uint32_t index;
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
    } else {
      index = capacity_;
      if ((index & (kBlockSize - 1)) == 0) blocks_.push_back(std::make_unique<Block>());
      ++capacity_;
    }
    Slot& slot = slotAt(index);
    IdT id(index, slot.generation);
    T* obj = new (slot.storage) T(id, std::forward<Args>(args)...);
    slot.occupied = true;
    ++size_;
    return {id, *obj};
  }

  T* find(IdT id) noexcept {
    if (id.index() >= capacity_) return nullptr;
    Slot& slot = slotAt(id.index());
    return slot.occupied && slot.generation == id.generation() ? slot.object() : nullptr;
  }
  const T* find(IdT id) const noexcept { return const_cast<SlotMap*>(this)->find(id); }

  bool contains(IdT id) const noexcept { return find(id) != nullptr; }

  bool erase(IdT id) {
    T* obj = find(id);
    if (obj == nullptr) return false;
    Slot& slot = slotAt(id.index());
    obj->~T();
    slot.occupied = false;
    if (++slot.generation == 0) slot.generation = 1;  // 0 means "none"
    free_.push_back(id.index());
    --size_;
    return true;
  }

  void clear() {
    for (std::uint32_t i = 0; i < capacity_; ++i) {
      Slot& slot = slotAt(i);
      if (slot.occupied) erase(IdT(i, slot.generation));
    }
  }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  // Visits every live object; the visitor must not add or remove objects.
  template <class F>
  void forEach(F&& f) {
    for (std::uint32_t i = 0; i < capacity_; ++i) {
      Slot& slot = slotAt(i);
      if (slot.occupied) f(*slot.object());
    }
  }

 private:
  Slot& slotAt(std::uint32_t index) noexcept {
    return blocks_[index >> kBlockBits]->slots[index & (kBlockSize - 1)];
  }

  std::vector<std::unique_ptr<Block>> blocks_;
  std::vector<std::uint32_t> free_;
  std::uint32_t capacity_ = 0;
  std::size_t size_ = 0;
};

}  // namespace tapir
