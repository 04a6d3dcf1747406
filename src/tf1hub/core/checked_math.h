// Overflow-checked integer arithmetic for code that parses hostile input
// (file headers, shapes, offsets). Every helper either reports overflow or
// returns the exact result; none of them wraps silently.
//
//   int64_t bytes;
//   if (!CheckedMul(num_elements, elem_size, &bytes)) return DataLossError(...);
//   std::optional<uint64_t> end = CheckedAdd(offset, size);
#ifndef TF1HUB_CORE_CHECKED_MATH_H_
#define TF1HUB_CORE_CHECKED_MATH_H_

#include <concepts>
#include <cstdint>
#include <optional>

namespace tf1hub {

// Sets *out = a + b and returns true, or returns false on overflow (*out is
// then unspecified).
template <std::integral T>
[[nodiscard]] inline bool CheckedAdd(T a, T b, T* out) {
  return !__builtin_add_overflow(a, b, out);
}
template <std::integral T>
[[nodiscard]] inline bool CheckedSub(T a, T b, T* out) {
  return !__builtin_sub_overflow(a, b, out);
}
template <std::integral T>
[[nodiscard]] inline bool CheckedMul(T a, T b, T* out) {
  return !__builtin_mul_overflow(a, b, out);
}

// std::optional forms: nullopt on overflow.
template <std::integral T>
[[nodiscard]] inline std::optional<T> CheckedAdd(T a, T b) {
  T out;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}
template <std::integral T>
[[nodiscard]] inline std::optional<T> CheckedSub(T a, T b) {
  T out;
  if (__builtin_sub_overflow(a, b, &out)) return std::nullopt;
  return out;
}
template <std::integral T>
[[nodiscard]] inline std::optional<T> CheckedMul(T a, T b) {
  T out;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// Product of all `values`; nullopt if any partial product overflows or a
// value is negative (sizes and dimensions are never negative).
template <std::integral T, typename Range>
[[nodiscard]] inline std::optional<T> CheckedProduct(const Range& values) {
  T product = 1;
  for (auto v : values) {
    if (v < 0) return std::nullopt;
    if (__builtin_mul_overflow(product, static_cast<T>(v), &product)) return std::nullopt;
  }
  return product;
}

// True if [offset, offset + size) lies inside [0, limit) without overflow.
[[nodiscard]] inline bool RangeWithin(uint64_t offset, uint64_t size, uint64_t limit) {
  uint64_t end;
  return !__builtin_add_overflow(offset, size, &end) && end <= limit;
}

}  // namespace tf1hub

#endif  // TF1HUB_CORE_CHECKED_MATH_H_
