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
// Tokens are views into the input strings.
#ifndef TF1HUB_KERNELS_STRING_SPLIT_H_
#define TF1HUB_KERNELS_STRING_SPLIT_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace tf1hub {

// Appends `s`'s tokens to `*tokens`.
void SplitV1(std::string_view s, std::string_view delimiter, bool skip_empty,
             std::vector<std::string_view>* tokens);
void SplitV2(std::string_view s, std::string_view sep, int64_t maxsplit,
             std::vector<std::string_view>* tokens);

// Bytes that do not continue a UTF-8 sequence (TensorFlow's UTF8_CHAR
// length; invalid bytes count one each).
int64_t Utf8CharCount(std::string_view s);

uint64_t Fingerprint64(std::string_view s);

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_STRING_SPLIT_H_
