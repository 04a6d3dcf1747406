// The pure string rules behind the string kernels, as TensorFlow 2.15
// applies them (string_split_op.cc, str_util, farmhash):
//
//   SplitV1 (StringSplit): an empty string gives no tokens; an empty
//     delimiter splits into single bytes (not UTF-8 characters); a
//     one-character delimiter splits at that character; a longer one splits
//     at ANY of its characters; empty tokens are dropped when skip_empty.
//   SplitV2 (StringSplitV2): Python's str.split: with a separator, every
//     occurrence splits ("" gives [""]); with an empty separator, runs of
//     ASCII whitespace (" \t\n\v\f\r") split and leading whitespace is
//     dropped. maxsplit > 0 stops after that many splits and keeps the rest
//     (after leading whitespace, when splitting on whitespace); 0 gives the
//     whole string.
//   Fingerprint64: farmhash's 64-bit fingerprint (TensorFlow's
//     Fingerprint64), the hash of StringToHashBucketFast.
//
// The splitters hand each token, in order, to a callback as a view into the
// input string. They are templates, always inlined, so that the kernels'
// callbacks (write a token to the output) compile into the scanning loop
// with their state in registers: called out of line, that state lives in
// memory, and every byte the callback stores into an output string might
// alias it, forcing reloads (StringSplit took 1.5x as long that way).
//
//   std::vector<std::string_view> tokens;
//   SplitV1("a b", " ", /*skip_empty=*/true,
//           [&](std::string_view t) { tokens.push_back(t); });
//
// Thread safety: pure functions.
#ifndef TF1HUB_KERNELS_STRING_SPLIT_H_
#define TF1HUB_KERNELS_STRING_SPLIT_H_

#include <bit>
#include <cstdint>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tf1hub {

// Calls emit(token) for each token of `s`, in order.
template <typename Emit>
[[gnu::always_inline]] inline void SplitV1(std::string_view s, std::string_view delimiter,
                                           bool skip_empty, Emit&& emit);
template <typename Emit>
[[gnu::always_inline]] inline void SplitV2(std::string_view s, std::string_view sep,
                                           int64_t maxsplit, Emit&& emit);

// The same, appending the tokens to `*tokens`.
inline void SplitV1(std::string_view s, std::string_view delimiter, bool skip_empty,
                    std::vector<std::string_view>* tokens) {
  SplitV1(s, delimiter, skip_empty, [tokens](std::string_view t) { tokens->push_back(t); });
}
inline void SplitV2(std::string_view s, std::string_view sep, int64_t maxsplit,
                    std::vector<std::string_view>* tokens) {
  SplitV2(s, sep, maxsplit, [tokens](std::string_view t) { tokens->push_back(t); });
}

// The number of tokens SplitV1(s, delimiter, skip_empty, ...) gives for a
// one-byte delimiter, counted without finding them.
int64_t CountSplitV1AtByte(std::string_view s, char delimiter, bool skip_empty);

// Bytes that do not continue a UTF-8 sequence (TensorFlow's UTF8_CHAR
// length; invalid bytes count one each).
int64_t Utf8CharCount(std::string_view s);

uint64_t Fingerprint64(std::string_view s);

// ---------------------------------------------------------------------------
// Implementation.

namespace split_internal {

// absl::ascii_isspace, as TensorFlow's str_util uses.
inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// SplitV1 with a one-byte delimiter `d` on a non-empty `s`. Text tokens are
// short (a few bytes), so rather than one memchr call per token, 16-byte
// blocks are compared with `d` at once and the delimiters taken from the
// resulting bit mask in order. The last partial block is read as the last
// 16 bytes of `s` (overlapping, never past its end) with the bytes already
// seen masked off; strings under 16 bytes are scanned byte by byte.
template <typename Emit>
[[gnu::always_inline]] inline void SplitAtByte(std::string_view s, char d, bool skip_empty,
                                               Emit& emit) {
  const char* p = s.data();
  const size_t n = s.size();
  size_t start = 0;  // of the current token
  auto delimiter_at = [&](size_t at) {
    if (!skip_empty || at > start) emit(std::string_view(p + start, at - start));
    start = at + 1;
  };
  size_t i = 0;
#if defined(__SSE2__)
  if (n >= 16) {
    const __m128i dv = _mm_set1_epi8(d);
    auto block_mask = [&](size_t at) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
      return static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, dv)));
    };
    for (; i + 16 <= n; i += 16) {
      for (uint32_t m = block_mask(i); m != 0; m &= m - 1) delimiter_at(i + std::countr_zero(m));
    }
    if (i < n) {  // the last n - i bytes are the top bits of the last 16
      const size_t last = n - 16;
      for (uint32_t m = block_mask(last) >> (i - last) << (i - last); m != 0; m &= m - 1) {
        delimiter_at(last + std::countr_zero(m));
      }
    }
    i = n;
  }
#endif
  for (; i < n; ++i) {
    if (p[i] == d) delimiter_at(i);
  }
  if (!skip_empty || n > start) emit(std::string_view(p + start, n - start));
}

}  // namespace split_internal

template <typename Emit>
[[gnu::always_inline]] inline void SplitV1(std::string_view s, std::string_view delimiter,
                                           bool skip_empty, Emit&& emit) {
  if (s.empty()) return;
  if (delimiter.size() == 1) {
    split_internal::SplitAtByte(s, delimiter[0], skip_empty, emit);
    return;
  }
  if (delimiter.empty()) {
    for (size_t i = 0; i < s.size(); ++i) emit(s.substr(i, 1));
    return;
  }
  // Any of several bytes: bit c of `is_delimiter` for each delimiter byte c.
  uint64_t is_delimiter[4] = {};
  for (char c : delimiter) {
    const auto u = static_cast<unsigned char>(c);
    is_delimiter[u >> 6] |= uint64_t{1} << (u & 63);
  }
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (((is_delimiter[u >> 6] >> (u & 63)) & 1) == 0) continue;
    if (!skip_empty || i > start) emit(s.substr(start, i - start));
    start = i + 1;
  }
  if (!skip_empty || s.size() > start) emit(s.substr(start));
}

template <typename Emit>
[[gnu::always_inline]] inline void SplitV2(std::string_view s, std::string_view sep,
                                           int64_t maxsplit, Emit&& emit) {
  using split_internal::IsAsciiSpace;
  if (maxsplit == 0) {
    emit(s);
    return;
  }
  int64_t splits = 0;
  if (sep.empty()) {
    size_t i = 0;
    while (i < s.size() && IsAsciiSpace(s[i])) ++i;
    while (i < s.size()) {
      const size_t start = i;
      while (i < s.size() && !IsAsciiSpace(s[i])) ++i;
      emit(s.substr(start, i - start));
      while (i < s.size() && IsAsciiSpace(s[i])) ++i;
      if (maxsplit > 0 && ++splits == maxsplit) {
        emit(s.substr(i));
        return;
      }
    }
    return;
  }
  size_t start = 0;
  while (true) {
    const size_t at = s.find(sep, start);
    if (at == std::string_view::npos) break;
    emit(s.substr(start, at - start));
    start = at + sep.size();
    if (maxsplit > 0 && ++splits == maxsplit) break;
  }
  emit(s.substr(start));
}

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_STRING_SPLIT_H_
