#include "tf1hub/kernels/string_split.h"

#include <farmhash.h>

#include <algorithm>
#include <cstring>

namespace tf1hub {
namespace {

// absl::ascii_isspace, as TensorFlow's str_util uses.
bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

void SplitV1(std::string_view s, std::string_view delimiter, bool skip_empty,
             std::vector<std::string_view>* tokens) {
  if (s.empty()) return;
  if (delimiter.empty()) {
    for (size_t i = 0; i < s.size(); ++i) tokens->push_back(s.substr(i, 1));
    return;
  }
  size_t start = 0;
  if (delimiter.size() == 1) {  // the common case: memchr finds each delimiter
    while (true) {
      const void* hit = std::memchr(s.data() + start, delimiter[0], s.size() - start);
      const size_t i = hit == nullptr ? s.size() : static_cast<const char*>(hit) - s.data();
      if (!skip_empty || i > start) tokens->push_back(s.substr(start, i - start));
      if (hit == nullptr) return;
      start = i + 1;
    }
  }
  for (size_t i = 0; i <= s.size(); ++i) {
    const bool at_delimiter = i == s.size() || delimiter.find(s[i]) != std::string_view::npos;
    if (!at_delimiter) continue;
    if (!skip_empty || i > start) tokens->push_back(s.substr(start, i - start));
    start = i + 1;
  }
}

void SplitV2(std::string_view s, std::string_view sep, int64_t maxsplit,
             std::vector<std::string_view>* tokens) {
  if (maxsplit == 0) {
    tokens->push_back(s);
    return;
  }
  int64_t splits = 0;
  if (sep.empty()) {
    size_t i = 0;
    while (i < s.size() && IsAsciiSpace(s[i])) ++i;
    while (i < s.size()) {
      const size_t start = i;
      while (i < s.size() && !IsAsciiSpace(s[i])) ++i;
      tokens->push_back(s.substr(start, i - start));
      while (i < s.size() && IsAsciiSpace(s[i])) ++i;
      if (maxsplit > 0 && ++splits == maxsplit) {
        tokens->push_back(s.substr(i));
        return;
      }
    }
    return;
  }
  size_t start = 0;
  while (true) {
    const size_t at = s.find(sep, start);
    if (at == std::string_view::npos) break;
    tokens->push_back(s.substr(start, at - start));
    start = at + sep.size();
    if (maxsplit > 0 && ++splits == maxsplit) break;
  }
  tokens->push_back(s.substr(start));
}

int64_t Utf8CharCount(std::string_view s) {
  return std::count_if(s.begin(), s.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

uint64_t Fingerprint64(std::string_view s) { return util::Fingerprint64(s.data(), s.size()); }

}  // namespace tf1hub
