#include "tf1hub/kernels/lookup_table.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "tf1hub/kernels/flat_key_map.h"
#include "tf1hub/kernels/kernel.h"
#include "tf1hub/kernels/text_file_lines.h"

namespace tf1hub {
namespace {

// ---------------------------------------------------------------------------
// Keys and values as TensorFlow prints them in messages.

template <typename T>
std::string ToText(const T& v) {
  if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
    return std::string(v);
  } else if constexpr (std::is_same_v<T, bool>) {
    return v ? "1" : "0";
  } else {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    return ec == std::errc() ? std::string(buf, end) : std::string("?");
  }
}

template <typename K, typename V>
class HashTable final : public LookupTable {
  using Map = FlatKeyMap<K, V>;
  using KeyView = typename Map::KeyView;

 public:
  DataType key_dtype() const override { return DataTypeOf<K>::value; }
  DataType value_dtype() const override { return DataTypeOf<V>::value; }
  int64_t size() const override {
    if (!initialized_.load(std::memory_order_acquire)) return 0;
    return static_cast<int64_t>(map_.size());
  }
  bool is_initialized() const override { return initialized_.load(std::memory_order_acquire); }

  Status Find(const Tensor& keys, const Tensor& default_value, Tensor* out,
              const ParallelFor& parallel_for) const override {
    if (!initialized_.load(std::memory_order_acquire)) {
      return FailedPreconditionError("Table not initialized.");
    }
    // TensorFlow 2.15 uses the default's first element for every key, even
    // when the default has the keys' shape.
    const V fallback = default_value.NumElements() > 0 ? default_value.flat<V>()[0] : V();
    std::span<const K> in = keys.flat<K>();
    std::span<V> result = out->mutable_flat<V>();
    auto work = [&](int64_t begin, int64_t end) {
      const K* first = in.data() + begin;
      map_.FindMany(
          static_cast<size_t>(end - begin), [first](size_t i) -> KeyView { return first[i]; },
          fallback, result.data() + begin);
    };
    if (parallel_for) {
      parallel_for(static_cast<int64_t>(in.size()), std::is_same_v<K, std::string> ? 150 : 40,
                   work);
    } else {
      work(0, static_cast<int64_t>(in.size()));
    }
    return Status::OK();
  }

  Status ImportValues(const Tensor& keys, const Tensor& values) override {
    if (values.shape() != keys.shape()) {
      return InvalidArgumentError("Expected shape " + keys.shape().DebugString() +
                                  " for value, got " + values.shape().DebugString());
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (initialized_.load(std::memory_order_relaxed)) {
      if (keys.NumElements() == static_cast<int64_t>(map_.size())) return Status::OK();
      return FailedPreconditionError("Table was already initialized with different data.");
    }
    std::span<const K> k = keys.flat<K>();
    std::span<const V> v = values.flat<V>();
    size_t key_bytes = 0;
    if constexpr (std::is_same_v<K, std::string>) {
      for (const std::string& key : k) key_bytes += key.size();
    }
    map_.Reserve(k.size(), key_bytes);
    // Hashes a group ahead and prefetches their slots; inserts in order.
    uint64_t hash[kGroup];
    for (size_t base = 0; base < k.size(); base += kGroup) {
      const size_t m = std::min(kGroup, k.size() - base);
      for (size_t j = 0; j < m; ++j) {
        hash[j] = Map::Hash(k[base + j]);
        map_.Prefetch(hash[j]);
      }
      for (size_t j = 0; j < m; ++j) RETURN_IF_ERROR(Insert(k[base + j], hash[j], v[base + j]));
    }
    initialized_.store(true, std::memory_order_release);
    return Status::OK();
  }

  Status InitializeFromTextFile(const TextFileInitOptions& options) override {
    ASSIGN_OR_RETURN(std::unique_ptr<TextFileLines> lines, TextFileLines::Open(options.filename));
    // Entries are parsed kAhead lines ahead of their insertion (their slots
    // prefetched meanwhile) and inserted in file order, so the first
    // problem in the file is the one reported; string keys are views into
    // the mapped file until inserted.
    struct Pending {
      KeyView key{};
      V value{};
      uint64_t hash = 0;
    };
    constexpr size_t kAhead = 16;
    Pending ring[kAhead];
    size_t parsed = 0, inserted = 0;  // entries so far
    std::vector<std::string_view> columns;
    // The first line is read before looking at the table, like TensorFlow's
    // iterator: its errors (empty file, bad field) win.
    Status s = NextEntry(lines.get(), options, &columns, &ring[0].key, &ring[0].value);
    if (!s.ok()) return s;
    std::lock_guard<std::mutex> lock(mu_);
    // Initializing from a file again is a no-op (TensorFlow logs and
    // returns OK).
    if (initialized_.load(std::memory_order_relaxed)) return Status::OK();
    int64_t expected = lines->CountRemainingLines() + 1;
    if (options.vocab_size >= 0) expected = std::min(expected, options.vocab_size);
    map_.Reserve(static_cast<size_t>(expected), lines->file_size());
    auto insert_next = [&]() -> Status {
      const Pending& p = ring[inserted++ % kAhead];
      return Insert(p.key, p.hash, p.value);
    };
    while (s.ok()) {
      Pending& p = ring[parsed++ % kAhead];
      p.hash = Map::Hash(p.key);
      map_.Prefetch(p.hash);
      if (parsed - inserted == kAhead) RETURN_IF_ERROR(insert_next());
      Pending& next = ring[parsed % kAhead];
      s = NextEntry(lines.get(), options, &columns, &next.key, &next.value);
    }
    while (inserted < parsed) RETURN_IF_ERROR(insert_next());
    if (s.code() != StatusCode::kOutOfRange) return s;
    initialized_.store(true, std::memory_order_release);
    return Status::OK();
  }

 private:
  static constexpr size_t kGroup = 16;

  // TensorFlow's LookupOrInsert + "different value" check (lock held).
  Status Insert(KeyView key, uint64_t hash, const V& value) {
    auto [stored, inserted] = map_.Insert(key, hash, value);
    if (stored == nullptr) {
      return ResourceExhaustedError("HashTable cannot hold more than " +
                                    std::to_string(Map::kMaxEntries) + " entries");
    }
    if (!inserted && !(*stored == value)) {
      return FailedPreconditionError("HashTable has different value for same key. Key " +
                                     ToText(key) + " has " + ToText(*stored) +
                                     " and trying to add value " + ToText(value));
    }
    return Status::OK();
  }

  // Reads the next line's key and value. OutOfRange at the end (or when
  // vocab_size lines were read), other errors for bad content. `columns` is
  // scratch.
  static Status NextEntry(TextFileLines* lines, const TextFileInitOptions& o,
                          std::vector<std::string_view>* columns, KeyView* key, V* value) {
    ASSIGN_OR_RETURN(TextFileLines::Line line, lines->Next(o.vocab_size));
    const int64_t max_index = std::max(o.key_index, o.value_index);
    if (max_index >= 0) {
      SplitColumns(line.text, o.delimiter, columns);
      if (static_cast<int64_t>(columns->size()) < max_index + 1) {
        return InvalidArgumentError("Invalid number of columns in " + o.filename + " line " +
                                    std::to_string(line.number) + " (" + std::string(line.text) +
                                    ") : expected at least " + std::to_string(max_index + 1) +
                                    " got " + std::to_string(columns->size()));
      }
    }
    RETURN_IF_ERROR(FieldValue(line, *columns, o.key_index, o.offset, key));
    return FieldValue(line, *columns, o.value_index, o.offset, value);
  }

  template <typename T>
  static Status FieldValue(const TextFileLines::Line& line,
                           const std::vector<std::string_view>& columns, int64_t index,
                           int64_t offset, T* out) {
    if (index == kTextFileLineNumber) {
      if constexpr (std::is_same_v<T, int64_t>) {
        *out = line.number + offset;
        return Status::OK();
      } else {
        return InternalError("line number into a non-int64 table");  // checked earlier
      }
    }
    const std::string_view field = index == kTextFileWholeLine ? line.text : columns[index];
    if constexpr (std::is_same_v<T, std::string_view>) {
      *out = field;  // a string key, copied into the table when inserted
      return Status::OK();
    } else {
      return ParseTextField(field, line.number, offset, out);
    }
  }

  mutable std::mutex mu_;
  std::atomic<bool> initialized_{false};
  // Written only under mu_ before initialized_ is set; read-only afterwards.
  Map map_;
};

template <typename K>
StatusOr<std::shared_ptr<LookupTable>> CreateForKey(DataType value_dtype) {
  switch (value_dtype) {
    case DataType::kString: return std::shared_ptr<LookupTable>(new HashTable<K, std::string>());
    case DataType::kInt32: return std::shared_ptr<LookupTable>(new HashTable<K, int32_t>());
    case DataType::kFloat: return std::shared_ptr<LookupTable>(new HashTable<K, float>());
    case DataType::kDouble: return std::shared_ptr<LookupTable>(new HashTable<K, double>());
    case DataType::kInt64:
      if constexpr (!std::is_same_v<K, int32_t>) {
        return std::shared_ptr<LookupTable>(new HashTable<K, int64_t>());
      }
      break;
    case DataType::kBool:
      if constexpr (std::is_same_v<K, std::string>) {
        return std::shared_ptr<LookupTable>(new HashTable<K, bool>());
      }
      break;
    default: break;
  }
  return InvalidArgumentError("no lookup table for key type " + TfTypeName(DataTypeOf<K>::value) +
                              " and value type " + TfTypeName(value_dtype));
}

}  // namespace

StatusOr<std::shared_ptr<LookupTable>> LookupTable::Create(DataType key_dtype,
                                                           DataType value_dtype) {
  switch (key_dtype) {
    case DataType::kString: return CreateForKey<std::string>(value_dtype);
    case DataType::kInt64: return CreateForKey<int64_t>(value_dtype);
    case DataType::kInt32: return CreateForKey<int32_t>(value_dtype);
    default:
      return InvalidArgumentError("no lookup table for key type " + TfTypeName(key_dtype) +
                                  " and value type " + TfTypeName(value_dtype));
  }
}

bool LookupTable::Supports(DataType key_dtype, DataType value_dtype) {
  return Create(key_dtype, value_dtype).ok();
}

Status LookupTable::CheckFindArguments(const Tensor& keys, const Tensor& default_value) const {
  if (keys.dtype() != key_dtype()) {
    return InvalidArgumentError("Key must be type " + TfTypeName(key_dtype()) + " but got " +
                                TfTypeName(keys.dtype()));
  }
  if (default_value.dtype() != value_dtype()) {
    return InvalidArgumentError("Value must be type " + TfTypeName(value_dtype()) + " but got " +
                                TfTypeName(default_value.dtype()));
  }
  if (default_value.shape().rank() != 0 && default_value.shape() != keys.shape()) {
    return InvalidArgumentError("Expected shape [] or " + keys.shape().DebugString() +
                                " for default value, got " + default_value.shape().DebugString());
  }
  return Status::OK();
}

Status LookupTable::CheckTextFileInit(const TextFileInitOptions& o) const {
  auto is_integer = [](DataType t) {
    return t == DataType::kInt8 || t == DataType::kInt16 || t == DataType::kInt32 ||
           t == DataType::kInt64 || t == DataType::kUint8 || t == DataType::kUint16 ||
           t == DataType::kUint32 || t == DataType::kUint64;
  };
  if (o.key_index == kTextFileLineNumber && key_dtype() != DataType::kInt64) {
    return InvalidArgumentError(
        "Key index for line number requires table key dtype of int64, got " +
        TfTypeName(key_dtype()));
  }
  if (o.key_index == kTextFileWholeLine && !is_integer(key_dtype()) &&
      key_dtype() != DataType::kString) {
    return InvalidArgumentError(
        "Key index for whole line requires string or integer table key, got " +
        TfTypeName(key_dtype()));
  }
  if (o.value_index == kTextFileLineNumber && value_dtype() != DataType::kInt64) {
    return InvalidArgumentError(
        "Value index for line number requires table value dtype of int64, got " +
        TfTypeName(value_dtype()));
  }
  if (o.value_index == kTextFileWholeLine && !is_integer(value_dtype()) &&
      value_dtype() != DataType::kString) {
    return InvalidArgumentError(
        "Value index for whole line requires table value dtype of integer or string, got " +
        TfTypeName(value_dtype()));
  }
  return Status::OK();
}

std::string LookupTable::DebugString() const {
  return "HashTable<" + TfTypeName(key_dtype()) + ", " + TfTypeName(value_dtype()) + ">";
}

Status CheckTableDataTypes(const LookupTable& table, DataType key_dtype, DataType value_dtype,
                           std::string_view table_name) {
  if (table.key_dtype() != key_dtype || table.value_dtype() != value_dtype) {
    return InvalidArgumentError("Conflicting key/value dtypes " + TfTypeName(key_dtype) + "->" +
                                TfTypeName(value_dtype) + " with " +
                                TfTypeName(table.key_dtype()) + "-" +
                                TfTypeName(table.value_dtype()) + " for table " +
                                std::string(table_name));
  }
  return Status::OK();
}

}  // namespace tf1hub
