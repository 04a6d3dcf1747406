// ReadTextEmbeddings: a streaming parser for "token v1 ... vN" files.
//
// The matrix grows in an anonymous memory mapping that is enlarged with
// mremap, which moves page-table entries instead of copying bytes, so the
// file's floats are written exactly once and never copied while the
// vocabulary size is still unknown. The finished mapping becomes the
// Tensor's buffer (a view that owns the mapping through keep_alive).
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tf1hub/env.h"
#include "tf1hub/hub/text_embedding.h"
#include "tf1hub/tensor_shape.h"

namespace tf1hub::hub {
namespace {

constexpr size_t kChunkBytes = size_t{4} << 20;
constexpr size_t kInitialMatrixBytes = size_t{16} << 20;

// Zero-filled float storage on an anonymous private mapping.
class MappedFloats {
 public:
  MappedFloats() = default;
  ~MappedFloats() {
    if (data_ != nullptr) munmap(data_, capacity_bytes_);
  }
  MappedFloats(const MappedFloats&) = delete;
  MappedFloats& operator=(const MappedFloats&) = delete;

  // Makes room for at least `floats` floats (new space reads as zero).
  Status Reserve(size_t floats) {
    if (floats > SIZE_MAX / sizeof(float)) return ResourceExhaustedError("matrix too large");
    const size_t need = floats * sizeof(float);
    if (need <= capacity_bytes_) return Status::OK();
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    size_t grown = std::max({need, capacity_bytes_ * 2, kInitialMatrixBytes});
    grown = (grown + page - 1) / page * page;
    void* p = data_ == nullptr
                  ? mmap(nullptr, grown, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                  : mremap(data_, capacity_bytes_, grown, MREMAP_MAYMOVE);
    if (p == MAP_FAILED) {
      return ResourceExhaustedError("cannot map " + std::to_string(grown) +
                                    " bytes for the embedding matrix: " + std::strerror(errno));
    }
    data_ = static_cast<float*>(p);
    capacity_bytes_ = grown;
    return Status::OK();
  }
  float* data() { return data_; }

 private:
  float* data_ = nullptr;
  size_t capacity_bytes_ = 0;
};

// Python's str.split() separators within ASCII (\x1c-\x1f are separators too).
inline bool IsSpace(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

// Python's float(text) for the forms float() accepts that from_chars does
// not: a leading '+'. The value is parsed as a double and rounded to float32
// (hub's exporter builds a float64 array and feeds it to a float32
// placeholder; parsing straight to float32 could round differently).
bool ParseValue(std::string_view text, float* out) {
  if (!text.empty() && text[0] == '+') {
    text.remove_prefix(1);
    if (text.empty() || text[0] == '-' || text[0] == '+') return false;
  }
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ptr != end) return false;
  if (ec == std::errc::result_out_of_range) {
    // Python gives inf (overflow) or 0.0 (underflow) with the sign.
    const bool negative = text[0] == '-';
    bool underflow = true;  // out of range: decide by the exponent's sign
    const size_t e = text.find_first_of("eE");
    if (e != std::string_view::npos && e + 1 < text.size() && text[e + 1] != '-') underflow = false;
    if (e == std::string_view::npos) underflow = false;
    value = underflow ? (negative ? -0.0 : 0.0)
                      : (negative ? -std::numeric_limits<double>::infinity()
                                  : std::numeric_limits<double>::infinity());
  } else if (ec != std::errc()) {
    return false;
  }
  *out = static_cast<float>(value);
  return true;
}

class Parser {
 public:
  Parser(std::string path, int64_t extra_rows) : path_(std::move(path)), extra_rows_(extra_rows) {}

  std::string Where(int64_t line) const { return path_ + ":" + std::to_string(line); }

  Status ParseLine(std::string_view line, int64_t line_no) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t pos = 0;
    auto next_field = [&]() -> std::string_view {
      while (pos < line.size() && IsSpace(line[pos])) ++pos;
      const size_t start = pos;
      while (pos < line.size() && !IsSpace(line[pos])) ++pos;
      return line.substr(start, pos - start);
    };
    const std::string_view token = next_field();
    if (token.empty()) {
      return InvalidArgumentError(Where(line_no) + ": empty line (expected: token v1 ... vN)");
    }
    const size_t row = vocabulary_.size();
    if (dim_ > 0) RETURN_IF_ERROR(matrix_->Reserve((row + 1) * static_cast<size_t>(dim_)));
    int64_t count = 0;
    for (std::string_view field = next_field(); !field.empty(); field = next_field()) {
      if (dim_ == 0) {
        // First row: its length is not known yet; grow as values come.
        RETURN_IF_ERROR(matrix_->Reserve(static_cast<size_t>(count) + 1));
      } else if (count >= dim_) {
        // Count the rest for hub's message.
        int64_t total = count + 1;
        while (!next_field().empty()) ++total;
        return DimensionError(line_no, total, token);
      }
      float* slot = matrix_->data() + row * static_cast<size_t>(std::max<int64_t>(dim_, 0)) + count;
      if (!ParseValue(field, slot)) {
        return InvalidArgumentError(Where(line_no) + ": value " + std::to_string(count + 1) +
                                    " of token '" + std::string(token) +
                                    "' is not a number: '" + std::string(field) + "'");
      }
      ++count;
    }
    if (count == 0) {
      return InvalidArgumentError(Where(line_no) + ": token '" + std::string(token) +
                                  "' has no values");
    }
    if (dim_ == 0) {
      dim_ = count;
    } else if (count != dim_) {
      // Zero what the short row wrote (the buffer must stay zero past the end).
      std::memset(matrix_->data() + row * dim_, 0, sizeof(float) * count);
      return DimensionError(line_no, count, token);
    }
    auto [it, inserted] = first_line_.try_emplace(std::string(token), line_no);
    if (!inserted) {
      return InvalidArgumentError(Where(line_no) + ": duplicate token '" + std::string(token) +
                                  "' (first on line " + std::to_string(it->second) +
                                  "); TensorFlow's vocabulary table refuses duplicate keys");
    }
    vocabulary_.emplace_back(token);
    return Status::OK();
  }

  StatusOr<TextEmbeddings> Finish() {
    if (vocabulary_.empty()) return InvalidArgumentError(path_ + ": empty file: no embeddings");
    const int64_t rows = static_cast<int64_t>(vocabulary_.size()) + extra_rows_;
    ASSIGN_OR_RETURN(TensorShape shape, TensorShape::Create({rows, dim_}));
    const size_t floats = static_cast<size_t>(rows) * static_cast<size_t>(dim_);
    RETURN_IF_ERROR(matrix_->Reserve(floats));  // the OOV rows: mapped zeros
    float* data = matrix_->data();
    ASSIGN_OR_RETURN(Tensor tensor, Tensor::CreateView(DataType::kFloat, shape, data,
                                                       floats * sizeof(float), matrix_));
    TextEmbeddings result;
    result.vocabulary = std::move(vocabulary_);
    result.embeddings = std::move(tensor);
    result.dim = dim_;
    return result;
  }

 private:
  Status DimensionError(int64_t line_no, int64_t got, std::string_view token) const {
    // hub: "Inconsistent embedding dimension detected, %d != %d for token %s".
    return InvalidArgumentError(Where(line_no) +
                                ": Inconsistent embedding dimension detected, " +
                                std::to_string(dim_) + " != " + std::to_string(got) +
                                " for token " + std::string(token));
  }

  std::string path_;
  int64_t extra_rows_;
  int64_t dim_ = 0;
  std::shared_ptr<MappedFloats> matrix_ = std::make_shared<MappedFloats>();
  std::vector<std::string> vocabulary_;
  std::unordered_map<std::string, int64_t> first_line_;
};

}  // namespace

StatusOr<TextEmbeddings> ReadTextEmbeddings(const std::string& path,
                                            const ReadTextEmbeddingsOptions& options) {
  if (options.extra_zero_rows < 0) {
    return InvalidArgumentError("extra_zero_rows must be >= 0, got " +
                                std::to_string(options.extra_zero_rows));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file,
                   PosixFileSystem()->NewRandomAccessFile(path));
  const uint64_t size = file->Size();
  Parser parser(path, options.extra_zero_rows);
  std::string buffer(std::min<uint64_t>(kChunkBytes, std::max<uint64_t>(size, 1)), '\0');
  std::string carry;  // an incomplete line from the previous chunk
  uint64_t offset = 0;
  int64_t line_no = 0;
  while (offset < size) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buffer.size(), size - offset));
    ASSIGN_OR_RETURN(std::string_view chunk, file->Read(offset, n, buffer.data()));
    offset += chunk.size();
    size_t start = 0;
    while (true) {
      const void* nl = std::memchr(chunk.data() + start, '\n', chunk.size() - start);
      if (nl == nullptr) break;
      const size_t end = static_cast<const char*>(nl) - chunk.data();
      std::string_view line = chunk.substr(start, end - start);
      if (!carry.empty()) {
        carry.append(line);
        line = carry;
      }
      RETURN_IF_ERROR(parser.ParseLine(line, ++line_no));
      carry.clear();
      start = end + 1;
    }
    carry.append(chunk.substr(start));
    if (options.progress) options.progress(offset, size);
  }
  // A last line without '\n' (hub writes files that way too).
  if (!carry.empty()) RETURN_IF_ERROR(parser.ParseLine(carry, ++line_no));
  return parser.Finish();
}

}  // namespace tf1hub::hub
