#include "tf1hub/io/npy_header.h"

#include <cstring>
#include <optional>

#include "tf1hub/core/checked_math.h"

namespace tf1hub {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
constexpr size_t kAlignment = 64;       // numpy's ARRAY_ALIGN
constexpr size_t kGrowthDigits = 21;    // numpy's GROWTH_AXIS_MAX_DIGITS

// A cursor over the dict literal; every method stays within the text.
class DictParser {
 public:
  DictParser(std::string_view text, std::string_view what) : text_(text), what_(what) {}

  StatusOr<NpyHeader> Parse() {
    NpyHeader header;
    bool seen_descr = false, seen_fortran = false, seen_shape = false;
    SkipSpace();
    if (!Consume('{')) return Error("the header does not start with '{'");
    while (true) {
      SkipSpace();
      if (Consume('}')) break;
      std::string key;
      RETURN_IF_ERROR(ParseString(&key, "a dict key"));
      SkipSpace();
      if (!Consume(':')) return Error("expected ':' after key '" + key + "'");
      SkipSpace();
      bool* seen = nullptr;
      if (key == "descr") {
        seen = &seen_descr;
        if (Peek() == '[') {
          return InvalidArgumentError("npy '" + std::string(what_) +
                                      "': structured dtypes (a list as 'descr') are not supported");
        }
        RETURN_IF_ERROR(ParseString(&header.descr, "the 'descr' string"));
      } else if (key == "fortran_order") {
        seen = &seen_fortran;
        RETURN_IF_ERROR(ParseBool(&header.fortran_order));
      } else if (key == "shape") {
        seen = &seen_shape;
        RETURN_IF_ERROR(ParseShape(&header.shape));
      } else {
        return Error("unexpected key '" + key + "' (expected 'descr', 'fortran_order', 'shape')");
      }
      if (*seen) return Error("key '" + key + "' appears twice");
      *seen = true;
      SkipSpace();
      if (Consume(',')) continue;
      if (Consume('}')) break;
      return Error("expected ',' or '}' after the value of '" + key + "'");
    }
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected text after the header dict");
    if (!seen_descr || !seen_fortran || !seen_shape) {
      return Error("the header dict must have the keys 'descr', 'fortran_order' and 'shape'");
    }
    return header;
  }

 private:
  Status Error(const std::string& message) const {
    return DataLossError("npy '" + std::string(what_) + "': bad header at character " +
                         std::to_string(pos_) + ": " + message);
  }
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool ConsumeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  // A Python string literal in single or double quotes, without escapes.
  Status ParseString(std::string* out, const char* what) {
    const char quote = Peek();
    if (quote != '\'' && quote != '"') return Error(std::string("expected ") + what);
    ++pos_;
    const size_t end = text_.find(quote, pos_);
    if (end == std::string_view::npos) return Error("unterminated string");
    std::string_view s = text_.substr(pos_, end - pos_);
    if (s.find('\\') != std::string_view::npos || s.find('\n') != std::string_view::npos) {
      return Error("escapes are not supported in header strings");
    }
    *out = std::string(s);
    pos_ = end + 1;
    return Status::OK();
  }

  Status ParseBool(bool* out) {
    if (ConsumeWord("True")) {
      *out = true;
    } else if (ConsumeWord("False")) {
      *out = false;
    } else {
      return Error("'fortran_order' must be True or False");
    }
    return Status::OK();
  }

  // A non-negative decimal integer (a Python 2 'L' suffix is allowed).
  Status ParseDim(int64_t* out) {
    if (Peek() == '-') return Error("negative dimension in 'shape'");
    const size_t begin = pos_;
    int64_t value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (!CheckedMul<int64_t>(value, 10, &value) ||
          !CheckedAdd<int64_t>(value, text_[pos_] - '0', &value)) {
        return Error("dimension in 'shape' overflows int64");
      }
      ++pos_;
    }
    if (pos_ == begin) return Error("expected an integer in 'shape'");
    Consume('L');
    *out = value;
    return Status::OK();
  }

  // "()", "(n,)", "(a, b)" or "(a, b,)". "(n)" is an int, not a tuple.
  Status ParseShape(std::vector<int64_t>* shape) {
    if (!Consume('(')) return Error("'shape' must be a tuple");
    shape->clear();
    bool trailing_comma = false;
    while (true) {
      SkipSpace();
      if (Consume(')')) break;
      int64_t dim = 0;
      RETURN_IF_ERROR(ParseDim(&dim));
      shape->push_back(dim);
      SkipSpace();
      trailing_comma = Consume(',');
      if (trailing_comma) continue;
      SkipSpace();
      if (Consume(')')) break;
      return Error("expected ',' or ')' in 'shape'");
    }
    if (shape->size() == 1 && !trailing_comma) return Error("'shape' must be a tuple");
    return Status::OK();
  }

  std::string_view text_;
  std::string_view what_;
  size_t pos_ = 0;
};

std::string ShapeRepr(const std::vector<int64_t>& shape) {
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(shape[i]);
  }
  if (shape.size() == 1) out += ",";
  return out + ")";
}

}  // namespace

StatusOr<NpyHeader> ParseNpyHeader(std::string_view bytes, std::string_view what) {
  const std::string where = "npy '" + std::string(what) + "'";
  if (bytes.size() < kMagicSize + 2 || std::memcmp(bytes.data(), kMagic, kMagicSize) != 0) {
    return DataLossError(where + ": not a NumPy file (no \\x93NUMPY magic string)");
  }
  const int major = static_cast<unsigned char>(bytes[6]);
  const int minor = static_cast<unsigned char>(bytes[7]);
  if ((major != 1 && major != 2 && major != 3) || minor != 0) {
    return DataLossError(where + ": unsupported format version " + std::to_string(major) + "." +
                         std::to_string(minor) + " (expected 1.0, 2.0 or 3.0)");
  }
  const size_t length_bytes = major == 1 ? 2 : 4;
  const size_t preamble = kMagicSize + 2 + length_bytes;
  if (bytes.size() < preamble) {
    return DataLossError(where + ": file of " + std::to_string(bytes.size()) +
                         " bytes ends inside the header length");
  }
  uint64_t header_len = 0;
  for (size_t i = 0; i < length_bytes; ++i) {
    header_len |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
  }
  if (!RangeWithin(preamble, header_len, bytes.size())) {
    return DataLossError(where + ": header length " + std::to_string(header_len) +
                         " runs past the end of the " + std::to_string(bytes.size()) +
                         "-byte file");
  }
  DictParser parser(bytes.substr(preamble, header_len), what);
  ASSIGN_OR_RETURN(NpyHeader header, parser.Parse());
  header.major_version = major;
  header.data_offset = preamble + header_len;
  return header;
}

std::string FormatNpyHeader(std::string_view descr, const std::vector<int64_t>& shape) {
  std::string dict = "{'descr': '" + std::string(descr) + "', 'fortran_order': False, 'shape': " +
                     ShapeRepr(shape) + ", }";
  if (!shape.empty()) {
    const size_t digits = std::to_string(shape[0]).size();
    if (digits < kGrowthDigits) dict.append(kGrowthDigits - digits, ' ');
  }
  const size_t text_len = dict.size() + 1;  // + the final '\n'
  size_t preamble = kMagicSize + 2 + 2;
  int major = 1;
  size_t pad = kAlignment - (preamble + text_len) % kAlignment;
  if (text_len + pad > 0xffff) {
    major = 2;
    preamble = kMagicSize + 2 + 4;
    pad = kAlignment - (preamble + text_len) % kAlignment;
  }
  const size_t header_len = text_len + pad;
  std::string out(kMagic, kMagicSize);
  out.push_back(static_cast<char>(major));
  out.push_back('\0');
  for (size_t i = 0; i < preamble - kMagicSize - 2; ++i) {
    out.push_back(static_cast<char>((header_len >> (8 * i)) & 0xff));
  }
  out += dict;
  out.append(pad, ' ');
  out.push_back('\n');
  return out;
}

}  // namespace tf1hub
