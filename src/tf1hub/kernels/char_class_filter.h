// The fast path of the regex replace kernels for patterns that match exactly
// one character of a class (the text-embedding graph's "\pP"), exact to RE2.
//
// A pattern qualifies by syntax alone, conservatively, when it is one of
//   \pX  \PX                (X one ASCII letter: \pP, \pL, \PN ...)
//   \p{Name}  \P{Name}  \p{^Name}  \P{^Name}
//   [[:name:]]  [[:^name:]] (a POSIX class alone in its brackets)
// and nothing else. Its members among the ASCII bytes are then tabulated by
// asking RE2 itself (RE2::FullMatch on each one-byte string), so membership
// is RE2's by construction.
//
// Why replacing table members byte by byte equals RE2::GlobalReplace on an
// all-ASCII string (default options: UTF-8, no case folding): each of these
// forms denotes a set of code points, and RE2 compiles it to an automaton
// that accepts exactly the UTF-8 encodings of those code points -- never the
// empty string, never two characters. In an ASCII string every such encoding
// that occurs is one byte (longer encodings contain bytes >= 0x80), so the
// matches are exactly the single bytes c with table[c], found left to right.
// No match is empty, so GlobalReplace's rule for empty matches never applies,
// and a rewrite without a backslash is inserted verbatim by RE2::Rewrite.
// (\C, which would match one byte of anything, is not a recognised form.)
//
// Usage:
//   std::optional<AsciiClassTable> t = AsciiClassTableFor(pattern, re);
//   if (t && IsLiteralRewrite(rewrite) && IsAscii(s))
//     ReplaceAsciiClassMembers(s, *t, rewrite, &out);
//
// Thread safety: a table is immutable after construction; the functions are
// pure.
#ifndef TF1HUB_KERNELS_CHAR_CLASS_FILTER_H_
#define TF1HUB_KERNELS_CHAR_CLASS_FILTER_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}  // namespace re2

namespace tf1hub {

// The ASCII bytes in a class: Contains(c) for c < 128.
class AsciiClassTable {
 public:
  void Add(unsigned char c) {  // c < 128
    member_[c] = 1;
    by_low_nibble_[c & 15] |= static_cast<uint8_t>(1u << (c >> 4));
  }
  bool Contains(unsigned char c) const { return member_[c] != 0; }  // c < 128
  // 1 or 0 for c < 128.
  const std::array<uint8_t, 128>& members() const { return member_; }
  // Bit (c >> 4) of entry (c & 15) is set for each member c: 16 bytes that
  // SIMD byte shuffles look up in.
  const std::array<uint8_t, 16>& by_low_nibble() const { return by_low_nibble_; }

 private:
  std::array<uint8_t, 128> member_{};
  std::array<uint8_t, 16> by_low_nibble_{};
};

// True when `pattern` has one of the single-character-class forms above
// (syntax only: whether RE2 knows the class name is RE2's business).
bool IsSingleCharClassSyntax(std::string_view pattern);

// The ASCII members of `re`, compiled from `pattern`, when the pattern has a
// single-character-class form; nullopt otherwise. `re` must be ok().
std::optional<AsciiClassTable> AsciiClassTableFor(std::string_view pattern, const re2::RE2& re);

// True when RE2::Rewrite would insert `rewrite` verbatim (no backslash:
// "\0", "\1", "\\" have meanings of their own).
inline bool IsLiteralRewrite(std::string_view rewrite) {
  return rewrite.find('\\') == std::string_view::npos;
}

// True when every byte of `s` is below 0x80.
bool IsAscii(std::string_view s);

// *out = `in` with every byte c where table[c] replaced by `rewrite`.
// Requires IsAscii(in).
void ReplaceAsciiClassMembers(std::string_view in, const AsciiClassTable& table,
                              std::string_view rewrite, std::string* out);

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_CHAR_CLASS_FILTER_H_
