// Reading table initialization files the way TensorFlow 2.15's
// InitializeTableFromTextFileV2 does (lookup_util.cc's TextFileLineIterator
// over io::InputBuffer::ReadLine):
//   * lines end at '\n'; one trailing '\r' is dropped; a last line without
//     '\n' counts unless it is empty;
//   * an empty line is an error naming the byte position after it;
//   * with vocab_size >= 0 reading stops after vocab_size lines, and a file
//     with fewer lines is an error;
//   * fields parse like TensorFlow's safe_strto32/64 and safe_strtof/d
//     (surrounding spaces allowed; floats also accept hex, "inf" and "nan").
// The file is memory-mapped, so a large vocabulary is not copied.
//
// Thread safety: a TextFileLines is used by one thread.
#ifndef TF1HUB_KERNELS_TEXT_FILE_LINES_H_
#define TF1HUB_KERNELS_TEXT_FILE_LINES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tf1hub/env.h"
#include "tf1hub/status.h"

namespace tf1hub {

class TextFileLines {
 public:
  struct Line {
    std::string_view text;  // valid while the TextFileLines lives
    int64_t number = 0;     // 0-based
  };

  // Maps `filename` (POSIX file system). Errors read like TensorFlow's:
  // NotFound "<file>; No such file or directory", FailedPrecondition
  // "<file>; Is a directory".
  static StatusOr<std::unique_ptr<TextFileLines>> Open(const std::string& filename);

  // The next line. OutOfRange at the end of the file ("Read less bytes than
  // requested") or after `vocab_size` lines ("Finished reading ..."),
  // InvalidArgument for an empty line or (vocab_size >= 0) a short file.
  StatusOr<Line> Next(int64_t vocab_size);

  // The file's size in bytes.
  uint64_t file_size() const;
  // How many more lines Next can return at most: the '\n's not read yet,
  // plus one for a last line without '\n' (an upper bound, for reserving).
  int64_t CountRemainingLines() const;

 private:
  TextFileLines(std::string filename, std::unique_ptr<ReadOnlyMemoryRegion> region)
      : filename_(std::move(filename)), region_(std::move(region)) {}

  std::string filename_;
  std::unique_ptr<ReadOnlyMemoryRegion> region_;
  uint64_t pos_ = 0;
  int64_t next_number_ = 0;
};

// `line` split at every `delimiter` (empty fields kept).
std::vector<std::string_view> SplitColumns(std::string_view line, char delimiter);
// The same into `*columns` (cleared first), reusing its storage.
void SplitColumns(std::string_view line, char delimiter, std::vector<std::string_view>* columns);

// Parses one field for a table of T: int32 (plus `offset`, wrapping), int64,
// float, double or string; InvalidArgument "Field <f> in line <n> is not a
// valid <type>." otherwise, "Data type bool not supported." for bool.
template <typename T>
Status ParseTextField(std::string_view field, int64_t line_number, int64_t offset, T* out);

}  // namespace tf1hub

#endif  // TF1HUB_KERNELS_TEXT_FILE_LINES_H_
