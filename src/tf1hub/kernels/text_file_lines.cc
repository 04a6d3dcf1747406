#include "tf1hub/kernels/text_file_lines.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <limits>

namespace tf1hub {
namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// TensorFlow's safe_strto64/32: spaces around, an optional '-', digits.
template <typename Int>
bool ParseInteger(std::string_view s, Int* value) {
  s = Trim(s);
  bool negative = false;
  if (!s.empty() && s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  const uint64_t limit = negative ? uint64_t{std::numeric_limits<Int>::max()} + 1
                                  : uint64_t{std::numeric_limits<Int>::max()};
  uint64_t result = 0;
  for (char c : s) {
    if (!IsDigit(c)) return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (result > (limit - digit) / 10) return false;
    result = result * 10 + digit;
  }
  *value = negative ? static_cast<Int>(0 - result) : static_cast<Int>(result);
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

// TensorFlow's safe_strtof/d (double-conversion with leading/trailing
// spaces, hex integers, case-insensitive "inf"/"nan"; at most 31 chars).
template <typename Float>
bool ParseFloat(std::string_view s, Float* value) {
  if (s.size() >= 32) return false;
  s = Trim(s);
  bool negative = false;
  std::string_view body = s;
  if (!body.empty() && (body.front() == '-' || body.front() == '+')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (body.empty()) return false;
  if (EqualsIgnoreCase(body, "inf") || EqualsIgnoreCase(body, "nan")) {
    const Float v = EqualsIgnoreCase(body, "inf") ? std::numeric_limits<Float>::infinity()
                                                  : std::numeric_limits<Float>::quiet_NaN();
    *value = negative ? -v : v;
    return true;
  }
  Float parsed{};
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
    std::string_view digits = body.substr(2);
    for (char c : digits) {
      if (!IsHexDigit(c)) return false;
    }
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed,
                                     std::chars_format::hex);
    if (ec != std::errc() || end != digits.data() + digits.size()) return false;
  } else {
    // Decimal: digits, optional fraction, optional exponent; from_chars
    // rounds correctly like double-conversion (overflow gives inf there).
    size_t i = 0, mantissa_digits = 0;
    while (i < body.size() && IsDigit(body[i])) ++i, ++mantissa_digits;
    if (i < body.size() && body[i] == '.') {
      ++i;
      while (i < body.size() && IsDigit(body[i])) ++i, ++mantissa_digits;
    }
    if (mantissa_digits == 0) return false;
    if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
      ++i;
      if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
      const size_t exp_start = i;
      while (i < body.size() && IsDigit(body[i])) ++i;
      if (i == exp_start) return false;
    }
    if (i != body.size()) return false;
    auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), parsed);
    if (ec == std::errc::result_out_of_range) {
      // from_chars leaves the value alone: decide between overflow and
      // underflow from the exponent's sign.
      const size_t e = body.find_first_of("eE");
      const bool tiny = e != std::string_view::npos && e + 1 < body.size() && body[e + 1] == '-';
      parsed = tiny ? Float(0) : std::numeric_limits<Float>::infinity();
    } else if (ec != std::errc() || end != body.data() + body.size()) {
      return false;
    }
  }
  *value = negative ? -parsed : parsed;
  return true;
}

Status BadField(std::string_view field, int64_t line_number, std::string_view type) {
  return InvalidArgumentError("Field " + std::string(field) + " in line " +
                              std::to_string(line_number) + " is not a valid " +
                              std::string(type) + ".");
}

}  // namespace

StatusOr<std::unique_ptr<TextFileLines>> TextFileLines::Open(const std::string& filename) {
  FileSystem* fs = PosixFileSystem();
  auto tf_style = [&](const Status& s) {
    // Our file system says "<op> '<path>': <reason>"; TensorFlow says
    // "<path>; <reason>".
    std::string reason = s.message();
    const size_t colon = reason.rfind("': ");
    if (colon != std::string::npos) reason = reason.substr(colon + 3);
    return Status(s.code(), filename + "; " + reason);
  };
  StatusOr<bool> is_dir = fs->IsDirectory(filename);
  if (is_dir.ok() && *is_dir) return FailedPreconditionError(filename + "; Is a directory");
  StatusOr<std::unique_ptr<ReadOnlyMemoryRegion>> region = fs->NewReadOnlyMemoryRegion(filename);
  if (!region.ok()) return tf_style(region.status());
  return std::unique_ptr<TextFileLines>(new TextFileLines(filename, std::move(*region)));
}

StatusOr<TextFileLines::Line> TextFileLines::Next(int64_t vocab_size) {
  const char* data = region_->data();
  const uint64_t size = region_->size();
  std::string_view text;
  bool have_line = false;
  if (pos_ < size) {
    const char* start = data + pos_;
    const void* nl = std::memchr(start, '\n', size - pos_);
    if (nl != nullptr) {
      const char* end = static_cast<const char*>(nl);
      text = std::string_view(start, static_cast<size_t>(end - start));
      pos_ += text.size() + 1;
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      have_line = true;
    } else {
      text = std::string_view(start, size - pos_);
      pos_ = size;
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      have_line = !text.empty();  // an empty last line is the end
    }
  }
  if (!have_line) {
    if (vocab_size != -1 && next_number_ != vocab_size) {
      return InvalidArgumentError("Invalid vocab_size in " + filename_ + ": expected " +
                                  std::to_string(vocab_size) + " but got " +
                                  std::to_string(next_number_));
    }
    return OutOfRangeError("Read less bytes than requested");
  }
  if (vocab_size != -1 && next_number_ >= vocab_size) {
    return OutOfRangeError("Finished reading " + std::to_string(vocab_size) +
                           " of lines from " + filename_);
  }
  if (text.empty()) {
    return InvalidArgumentError("Invalid content in " + filename_ +
                                ": empty line found at position " + std::to_string(pos_) + ".");
  }
  return Line{text, next_number_++};
}

uint64_t TextFileLines::file_size() const { return region_->size(); }

int64_t TextFileLines::CountRemainingLines() const {
  const char* data = region_->data();
  const uint64_t size = region_->size();
  if (pos_ >= size) return 0;
  return 1 + static_cast<int64_t>(std::count(data + pos_, data + size, '\n'));
}

void SplitColumns(std::string_view line, char delimiter, std::vector<std::string_view>* columns) {
  columns->clear();
  size_t start = 0;
  while (true) {
    const size_t at = line.find(delimiter, start);
    if (at == std::string_view::npos) {
      columns->push_back(line.substr(start));
      return;
    }
    columns->push_back(line.substr(start, at - start));
    start = at + 1;
  }
}

std::vector<std::string_view> SplitColumns(std::string_view line, char delimiter) {
  std::vector<std::string_view> out;
  SplitColumns(line, delimiter, &out);
  return out;
}

template <>
Status ParseTextField<int32_t>(std::string_view field, int64_t line_number, int64_t offset,
                               int32_t* out) {
  int32_t v = 0;
  if (!ParseInteger(field, &v)) return BadField(field, line_number, "int32");
  // TensorFlow adds the offset in 64 bits and stores the low 32.
  *out = static_cast<int32_t>(static_cast<uint64_t>(v) + static_cast<uint64_t>(offset));
  return Status::OK();
}

template <>
Status ParseTextField<int64_t>(std::string_view field, int64_t line_number, int64_t,
                               int64_t* out) {
  if (!ParseInteger(field, out)) return BadField(field, line_number, "int64");
  return Status::OK();
}

template <>
Status ParseTextField<float>(std::string_view field, int64_t line_number, int64_t, float* out) {
  if (!ParseFloat(field, out)) return BadField(field, line_number, "float");
  return Status::OK();
}

template <>
Status ParseTextField<double>(std::string_view field, int64_t line_number, int64_t,
                              double* out) {
  if (!ParseFloat(field, out)) return BadField(field, line_number, "double");
  return Status::OK();
}

template <>
Status ParseTextField<std::string>(std::string_view field, int64_t, int64_t, std::string* out) {
  out->assign(field.data(), field.size());
  return Status::OK();
}

template <>
Status ParseTextField<bool>(std::string_view, int64_t, int64_t, bool*) {
  return InvalidArgumentError("Data type bool not supported.");
}

}  // namespace tf1hub
