#include "tf1hub/kernels/string_split.h"

#include <farmhash.h>

#include <algorithm>
#include <bit>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tf1hub {

// Without skip_empty every delimiter ends a token and one more follows the
// last. With it, a token starts at each non-delimiter byte that follows a
// delimiter or the start of `s`. 16-byte blocks count those with a bit mask,
// carrying "the byte before is a delimiter" from block to block; the last
// partial block is read as the last 16 bytes of `s` with the bytes already
// counted shifted out. Strings under 16 bytes go byte by byte.
int64_t CountSplitV1AtByte(std::string_view s, char delimiter, bool skip_empty) {
  if (s.empty()) return 0;
  const char* p = s.data();
  const size_t n = s.size();
  int64_t count = skip_empty ? 0 : 1;
  uint32_t after_delimiter = 1;  // the byte before the next one is a delimiter (or none)
  // `is_delimiter` has bit k set when byte k of the next `width` is one.
  auto add = [&](uint32_t is_delimiter, unsigned width) {
    if (skip_empty) {
      const uint32_t starts = ~is_delimiter & ((is_delimiter << 1) | after_delimiter);
      count += std::popcount(starts & ((uint32_t{1} << width) - 1));
      after_delimiter = (is_delimiter >> (width - 1)) & 1;
    } else {
      count += std::popcount(is_delimiter);
    }
  };
  size_t i = 0;
#if defined(__SSE2__)
  if (n >= 16) {
    const __m128i dv = _mm_set1_epi8(delimiter);
    auto block_mask = [&](size_t at) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
      return static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, dv)));
    };
    for (; i + 16 <= n; i += 16) add(block_mask(i), 16);
    if (i < n) add(block_mask(n - 16) >> (16 - (n - i)), static_cast<unsigned>(n - i));
    return count;
  }
#endif
  for (; i < n; ++i) add(p[i] == delimiter ? 1 : 0, 1);
  return count;
}

int64_t Utf8CharCount(std::string_view s) {
  return std::count_if(s.begin(), s.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

uint64_t Fingerprint64(std::string_view s) { return util::Fingerprint64(s.data(), s.size()); }

}  // namespace tf1hub
