// Typed, generation-checked handles.
//
// An Id names one object in a SlotMap: a slot index plus the generation the
// slot had when the object was stored. When the object goes away the slot's
// generation moves on, so an old Id never reaches the slot's next occupant: a
// stale handle is an error, never a crash. Distinct tags make a CallId and a
// LineId different types.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace tapir {

template <class Tag>
class Id {
 public:
  constexpr Id() noexcept = default;
  constexpr Id(std::uint32_t index, std::uint32_t generation) noexcept
      : index_(index), generation_(generation) {}

  // The packed form used across process and protocol boundaries.
  static constexpr Id fromValue(std::uint64_t v) noexcept {
    return Id(static_cast<std::uint32_t>(v & 0xffffffffu), static_cast<std::uint32_t>(v >> 32));
  }
  constexpr std::uint64_t value() const noexcept {
    return (static_cast<std::uint64_t>(generation_) << 32) | index_;
  }

  constexpr std::uint32_t index() const noexcept { return index_; }
  constexpr std::uint32_t generation() const noexcept { return generation_; }

  // Generation 0 is never handed out: a default Id is "none".
  constexpr bool valid() const noexcept { return generation_ != 0; }
  constexpr explicit operator bool() const noexcept { return valid(); }

  friend constexpr bool operator==(Id a, Id b) noexcept = default;
  friend constexpr bool operator<(Id a, Id b) noexcept { return a.value() < b.value(); }

 private:
  std::uint32_t index_ = 0;
  std::uint32_t generation_ = 0;
};

using LineId = Id<struct LineTag>;
using CallId = Id<struct CallTag>;

}  // namespace tapir

template <class Tag>
struct std::hash<tapir::Id<Tag>> {
  std::size_t operator()(tapir::Id<Tag> id) const noexcept {
    return std::hash<std::uint64_t>()(id.value());
  }
};
