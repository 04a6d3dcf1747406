#include "tf1hub/io/bundle_test_util.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>

#include "leveldb/iterator.h"
#include "leveldb/table.h"
#include "leveldb/table_builder.h"
#include "tf1hub/checkpoint.h"
#include "tf1hub/core/crc32c.h"
#include "tf1hub/io/leveldb_file_adapters.h"

namespace tf1hub::testing {

std::string ReadAll(FileSystem* fs, const std::string& path) {
  StatusOr<std::string> contents = fs->ReadFileToString(path);
  if (!contents.ok()) {
    ADD_FAILURE() << contents.status().ToString();
    return "";
  }
  return *contents;
}

void WriteAll(FileSystem* fs, const std::string& path, std::string_view contents) {
  Status s = fs->WriteStringToFile(path, contents);
  if (!s.ok()) ADD_FAILURE() << s.ToString();
}

void CorruptFile::FlipBit(FileSystem* fs, const std::string& path, uint64_t byte, int bit) {
  std::string contents = ReadAll(fs, path);
  ASSERT_LT(byte, contents.size()) << path;
  contents[byte] = static_cast<char>(contents[byte] ^ (1 << bit));
  WriteAll(fs, path, contents);
}

void CorruptFile::Truncate(FileSystem* fs, const std::string& path, uint64_t size) {
  std::string contents = ReadAll(fs, path);
  ASSERT_LE(size, contents.size()) << path;
  contents.resize(size);
  WriteAll(fs, path, contents);
}

void CorruptFile::Overwrite(FileSystem* fs, const std::string& path, uint64_t offset,
                            std::string_view bytes) {
  std::string contents = ReadAll(fs, path);
  ASSERT_LE(offset + bytes.size(), contents.size()) << path;
  contents.replace(offset, bytes.size(), bytes);
  WriteAll(fs, path, contents);
}

std::string FromHex(std::string_view hex) {
  std::string out;
  int nibble = -1;
  for (char c : hex) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    const int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                                                              : std::tolower(c) - 'a' + 10;
    if (nibble < 0) {
      nibble = v;
    } else {
      out.push_back(static_cast<char>(nibble * 16 + v));
      nibble = -1;
    }
  }
  return out;
}

std::string ToHex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    char buf[4];
    std::snprintf(buf, sizeof(buf), "%02x", c);
    if (!out.empty()) out.push_back(' ');
    out += buf;
  }
  return out;
}

std::string Fixed32(uint32_t v) {
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return out;
}

std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}

std::vector<std::pair<std::string, std::string>> ReadRawIndex(FileSystem* fs,
                                                              const std::string& path) {
  std::vector<std::pair<std::string, std::string>> entries;
  const std::string contents = ReadAll(fs, path);
  LevelDbRegionFile file(contents.data(), contents.size());
  leveldb::Table* raw = nullptr;
  leveldb::Status s = leveldb::Table::Open(leveldb::Options(), &file, contents.size(), &raw);
  if (!s.ok()) {
    ADD_FAILURE() << path << ": " << s.ToString();
    return entries;
  }
  std::unique_ptr<leveldb::Table> table(raw);
  leveldb::ReadOptions options;
  options.verify_checksums = true;
  std::unique_ptr<leveldb::Iterator> it(table->NewIterator(options));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    entries.emplace_back(it->key().ToString(), it->value().ToString());
  }
  if (!it->status().ok()) ADD_FAILURE() << path << ": " << it->status().ToString();
  return entries;
}

void WriteRawIndex(FileSystem* fs, const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& entries,
                   RawIndexOptions raw_options) {
  StatusOr<std::unique_ptr<WritableFile>> out = fs->NewWritableFile(path);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  LevelDbWritableFile sink(out->get());
  leveldb::Options options;
  options.compression = raw_options.compression;
  options.block_size = raw_options.block_size;
  options.block_restart_interval = 16;
  leveldb::TableBuilder builder(options, &sink);
  for (const auto& [key, value] : entries) builder.Add(key, value);
  leveldb::Status s = builder.Finish();
  if (s.ok()) s = sink.Close();
  ASSERT_TRUE(s.ok()) << s.ToString();
}

void EditIndex(FileSystem* fs, const std::string& prefix,
               const std::function<void(std::vector<std::pair<std::string, std::string>>*)>& edit) {
  const std::string path = prefix + ".index";
  std::vector<std::pair<std::string, std::string>> entries = ReadRawIndex(fs, path);
  edit(&entries);
  WriteRawIndex(fs, path, entries);
}

void EditIndexValue(FileSystem* fs, const std::string& prefix, const std::string& key,
                    const std::function<void(std::string*)>& edit) {
  bool found = false;
  EditIndex(fs, prefix, [&](std::vector<std::pair<std::string, std::string>>* entries) {
    for (auto& [k, v] : *entries) {
      if (k == key) {
        edit(&v);
        found = true;
      }
    }
  });
  EXPECT_TRUE(found) << "no index entry '" << key << "' in " << prefix;
}

void EditIndexEntry(FileSystem* fs, const std::string& prefix, const std::string& key,
                    const std::function<void(tensorflow::BundleEntryProto*)>& edit) {
  EditIndexValue(fs, prefix, key, [&](std::string* value) {
    tensorflow::BundleEntryProto entry;
    ASSERT_TRUE(entry.ParseFromString(*value));
    edit(&entry);
    *value = entry.SerializeAsString();
  });
}

void EditHeader(FileSystem* fs, const std::string& prefix,
                const std::function<void(tensorflow::BundleHeaderProto*)>& edit) {
  EditIndexValue(fs, prefix, "", [&](std::string* value) {
    tensorflow::BundleHeaderProto header;
    ASSERT_TRUE(header.ParseFromString(*value));
    edit(&header);
    *value = header.SerializeAsString();
  });
}

std::string RawBlock(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string block;
  std::string restarts;
  for (const auto& [key, value] : entries) {
    restarts += Fixed32(static_cast<uint32_t>(block.size()));
    block += Varint(0) + Varint(key.size()) + Varint(value.size()) + key + value;
  }
  if (entries.empty()) restarts = Fixed32(0);
  return block + restarts + Fixed32(static_cast<uint32_t>(restarts.size() / 4));
}

std::string RawBlockWithTrailer(std::string_view contents, uint8_t type) {
  std::string out(contents);
  out.push_back(static_cast<char>(type));
  const uint32_t crc = crc32c::Value(out.data(), out.size());
  return out + Fixed32(crc32c::Mask(crc));
}

std::string RawFooter(uint64_t meta_offset, uint64_t meta_size, uint64_t index_offset,
                      uint64_t index_size) {
  std::string footer =
      Varint(meta_offset) + Varint(meta_size) + Varint(index_offset) + Varint(index_size);
  footer.resize(40, '\0');
  return footer + FromHex("57 fb 80 8b 24 75 47 db");
}

void WriteCheckpoint(FileSystem* fs, const std::string& prefix,
                     const std::vector<std::pair<std::string, Tensor>>& tensors) {
  CheckpointWriter::Options options;
  options.fs = fs;
  StatusOr<std::unique_ptr<CheckpointWriter>> writer = CheckpointWriter::Create(prefix, options);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  for (const auto& [name, tensor] : tensors) {
    Status s = (*writer)->Add(name, tensor);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  Status s = (*writer)->Finish();
  ASSERT_TRUE(s.ok()) << s.ToString();
}

Tensor FloatTensor(std::vector<float> values, std::vector<int64_t> dims) {
  StatusOr<TensorShape> shape = TensorShape::Create(dims);
  EXPECT_TRUE(shape.ok());
  StatusOr<Tensor> t = Tensor::FromVector(values, *shape);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : Tensor();
}

Tensor StringTensor(std::vector<std::string> values, std::vector<int64_t> dims) {
  StatusOr<TensorShape> shape = TensorShape::Create(dims);
  EXPECT_TRUE(shape.ok());
  StatusOr<Tensor> t = Tensor::FromVector(values, *shape);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : Tensor();
}

}  // namespace tf1hub::testing
