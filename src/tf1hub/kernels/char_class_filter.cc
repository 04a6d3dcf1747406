#include "tf1hub/kernels/char_class_filter.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstring>

#if defined(__SSSE3__)
#include <tmmintrin.h>
#endif

namespace tf1hub {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// A class name, optionally negated by a leading '^': letters, and '_' where
// `underscore` (Unicode script names such as Old_Italic).
bool IsClassName(std::string_view name, bool underscore) {
  if (!name.empty() && name.front() == '^') name.remove_prefix(1);
  return !name.empty() && std::all_of(name.begin(), name.end(), [&](char c) {
    return IsAsciiLetter(c) || (underscore && c == '_');
  });
}

#if defined(__SSSE3__)
// 16 bytes at a time: bit j of the result is set when byte j of the block is
// a member. Every byte must be ASCII. Membership is bit (c >> 4) of
// by_low_nibble[c & 15], both looked up with a byte shuffle.
class MemberMask16 {
 public:
  explicit MemberMask16(const AsciiClassTable& table)
      : by_low_nibble_(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(table.by_low_nibble().data()))),
        high_bit_(_mm_setr_epi8(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0)) {}
  unsigned operator()(__m128i block) const {
    const __m128i nibble = _mm_set1_epi8(0x0f);
    const __m128i rows = _mm_shuffle_epi8(by_low_nibble_, _mm_and_si128(block, nibble));
    const __m128i bits =
        _mm_shuffle_epi8(high_bit_, _mm_and_si128(_mm_srli_epi16(block, 4), nibble));
    const __m128i miss = _mm_cmpeq_epi8(_mm_and_si128(rows, bits), _mm_setzero_si128());
    return ~static_cast<unsigned>(_mm_movemask_epi8(miss)) & 0xffffu;
  }

 private:
  __m128i by_low_nibble_;
  __m128i high_bit_;
};
#endif

// Writes `in` with members replaced by `rewrite` from d on; returns the end.
// kDelete (rewrite empty) writes every byte and advances past kept ones, with
// no branch. Unchanged 16-byte blocks are stored whole: the output left is
// never shorter than the input left (when deleting, the write position never
// passes the read position), so those stores stay inside the output.
template <bool kDelete>
char* Replace(std::string_view in, const AsciiClassTable& table, std::string_view rewrite,
              char* d) {
  const uint8_t* member = table.members().data();
  const char* p = in.data();
  const size_t n = in.size();
  auto emit = [&](char c) {
    const uint8_t m = member[static_cast<unsigned char>(c)];
    if constexpr (kDelete) {
      *d = c;
      d += 1 - m;
    } else if (m) {
      std::memcpy(d, rewrite.data(), rewrite.size());
      d += rewrite.size();
    } else {
      *d++ = c;
    }
  };
  size_t i = 0;
#if defined(__SSSE3__)
  const MemberMask16 mask_of(table);
  for (; i + 16 <= n; i += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    if (mask_of(block) == 0) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(d), block);
      d += 16;
      continue;
    }
    for (size_t j = i; j < i + 16; ++j) emit(p[j]);
  }
#endif
  for (; i < n; ++i) emit(p[i]);
  return d;
}

}  // namespace

bool IsSingleCharClassSyntax(std::string_view p) {
  const bool unicode = p.size() >= 3 && p[0] == '\\' && (p[1] == 'p' || p[1] == 'P');
  if (unicode && p.size() == 3) return IsAsciiLetter(p[2]);          // \pX
  if (unicode && p.size() >= 5 && p[2] == '{' && p.back() == '}') {  // \p{Name}
    return IsClassName(p.substr(3, p.size() - 4), /*underscore=*/true);
  }
  if (p.size() >= 7 && p.starts_with("[[:") && p.ends_with(":]]")) {  // [[:name:]]
    return IsClassName(p.substr(3, p.size() - 6), /*underscore=*/false);
  }
  return false;
}

std::optional<AsciiClassTable> AsciiClassTableFor(std::string_view pattern, const re2::RE2& re) {
  if (!IsSingleCharClassSyntax(pattern)) return std::nullopt;
  AsciiClassTable table;
  for (int c = 0; c < 128; ++c) {
    if (RE2::FullMatch(std::string(1, static_cast<char>(c)), re)) table.Add(c);
  }
  return table;
}

bool IsAscii(std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  uint64_t bits = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    bits |= word;
  }
  for (; i < n; ++i) bits |= static_cast<unsigned char>(p[i]);
  return (bits & 0x8080808080808080ull) == 0;
}

void ReplaceAsciiClassMembers(std::string_view in, const AsciiClassTable& table,
                              std::string_view rewrite, std::string* out) {
  size_t size = in.size();
  if (rewrite.size() > 1) {
    size_t members = 0;
    for (char c : in) members += table.Contains(static_cast<unsigned char>(c));
    size += members * (rewrite.size() - 1);
  }
  out->resize(size);
  char* end = rewrite.empty() ? Replace<true>(in, table, rewrite, out->data())
                              : Replace<false>(in, table, rewrite, out->data());
  out->resize(end - out->data());
}

}  // namespace tf1hub
