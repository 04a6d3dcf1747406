// Checks our .proto files against wire bytes and enum numbers taken from
// TensorFlow's files and sources (see /work/shared/reference/TF_FORMATS.md
// §1), not from our own output.
#include <google/protobuf/any.pb.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <string>

#include "tf1hub/proto/checkpoint_state.pb.h"
#include "tf1hub/proto/graph_debug_info.pb.h"
#include "tf1hub/proto/image_module_info.pb.h"
#include "tf1hub/proto/module_attachment.pb.h"
#include "tf1hub/proto/module_def.pb.h"
#include "tf1hub/proto/saved_model.pb.h"
#include "tf1hub/proto/struct.pb.h"
#include "tf1hub/proto/tensor_bundle.pb.h"
#include "tf1hub/proto/variable.pb.h"

namespace {

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

std::string Deterministic(const google::protobuf::Message& message) {
  message.ByteSizeLong();  // Caches the sizes SerializeWithCachedSizes needs.
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeWithCachedSizes(&coded);
  }
  return out;
}

TEST(ProtoWireTest, FullyQualifiedNamesMatchTensorFlow) {
  EXPECT_EQ(tensorflow::SavedModel::descriptor()->full_name(), "tensorflow.SavedModel");
  EXPECT_EQ(tensorflow::MetaGraphDef::MetaInfoDef::descriptor()->full_name(),
            "tensorflow.MetaGraphDef.MetaInfoDef");
  EXPECT_EQ(tensorflow::AssetFileDef::descriptor()->full_name(), "tensorflow.AssetFileDef");
  EXPECT_EQ(tensorflow::CheckpointState::descriptor()->full_name(), "tensorflow.CheckpointState");
  EXPECT_EQ(tensorflow_hub::ModuleDef::descriptor()->full_name(), "tensorflow_hub.ModuleDef");
  EXPECT_EQ(tensorflow_hub::ModuleAttachment::descriptor()->full_name(),
            "tensorflow_hub.ModuleAttachment");
  EXPECT_EQ(tensorflow_hub::ImageModuleInfo::InputSize::descriptor()->full_name(),
            "tensorflow_hub.ImageModuleInfo.InputSize");
}

TEST(ProtoWireTest, DataTypeNumbers) {
  EXPECT_EQ(tensorflow::DT_FLOAT, 1);
  EXPECT_EQ(tensorflow::DT_STRING, 7);
  EXPECT_EQ(tensorflow::DT_BFLOAT16, 14);
  EXPECT_EQ(tensorflow::DT_HALF, 19);
  EXPECT_EQ(tensorflow::DT_RESOURCE, 20);
  EXPECT_EQ(tensorflow::DT_UINT64, 23);
  EXPECT_EQ(tensorflow::DT_FLOAT8_E4M3FNUZ, 26);
  EXPECT_EQ(tensorflow::DT_INT4, 29);
  EXPECT_EQ(tensorflow::DT_FLOAT4_E2M1FN, 33);
  EXPECT_EQ(tensorflow::DT_FLOAT_REF, 101);
  EXPECT_EQ(tensorflow::DT_RESOURCE_REF, 120);
  EXPECT_EQ(tensorflow::DT_FLOAT4_E2M1FN_REF, 133);
  // Every value below 100 except 0 has its _REF twin at +100 and back.
  const google::protobuf::EnumDescriptor* type = tensorflow::DataType_descriptor();
  for (int i = 0; i < type->value_count(); ++i) {
    const int number = type->value(i)->number();
    const std::string& name = type->value(i)->name();
    if (number == 0) continue;
    if (number < 100) {
      const auto* ref = type->FindValueByNumber(number + 100);
      ASSERT_NE(ref, nullptr) << name;
      EXPECT_EQ(ref->name(), name + "_REF");
    } else {
      EXPECT_NE(type->FindValueByNumber(number - 100), nullptr) << name;
    }
  }
}

TEST(ProtoWireTest, VariableDefMatchesTensorFlow114Bytes) {
  tensorflow::VariableDef def;
  def.set_variable_name("a:0");
  def.set_initializer_name("a/Assign");
  def.set_snapshot_name("a/read:0");
  def.set_initial_value_name("a/initial_value:0");
  def.set_trainable(true);
  const std::string expected = Bytes({0x0a, 0x03}) + "a:0" + Bytes({0x12, 0x08}) + "a/Assign" +
                               Bytes({0x1a, 0x08}) + "a/read:0" + Bytes({0x32, 0x11}) +
                               "a/initial_value:0" + Bytes({0x38, 0x01});
  EXPECT_EQ(def.SerializeAsString(), expected);
}

TEST(ProtoWireTest, AssetFileDefBytes) {
  tensorflow::AssetFileDef def;
  def.mutable_tensor_info()->set_name("Const:0");
  def.set_filename("foo.txt");
  EXPECT_EQ(def.SerializeAsString(),
            Bytes({0x0a, 0x09, 0x0a, 0x07}) + "Const:0" + Bytes({0x12, 0x07}) + "foo.txt");
}

TEST(ProtoWireTest, BundleEntryScalarWithFixed32Crc) {
  tensorflow::BundleEntryProto entry;
  entry.set_dtype(tensorflow::DT_FLOAT);
  entry.mutable_shape();  // Scalar: present but empty.
  entry.set_size(4);
  entry.set_crc32c(0x04030201);
  EXPECT_EQ(entry.SerializeAsString(),
            Bytes({0x08, 0x01, 0x12, 0x00, 0x28, 0x04, 0x35, 0x01, 0x02, 0x03, 0x04}));
}

TEST(ProtoWireTest, BundleHeaderBytes) {
  tensorflow::BundleHeaderProto header;
  header.set_num_shards(1);
  header.mutable_version()->set_producer(1);
  EXPECT_EQ(header.SerializeAsString(), Bytes({0x08, 0x01, 0x1a, 0x02, 0x08, 0x01}));
}

TEST(ProtoWireTest, SliceExtentLengthHasPresence) {
  tensorflow::TensorSliceProto slice;
  slice.add_extent();                       // Full dimension: nothing set.
  slice.add_extent()->set_length(0);        // Oneof member set to 0: emitted.
  auto* partial = slice.add_extent();
  partial->set_start(2);
  partial->set_length(3);
  EXPECT_EQ(slice.SerializeAsString(),
            Bytes({0x0a, 0x00, 0x0a, 0x02, 0x10, 0x00, 0x0a, 0x04, 0x08, 0x02, 0x10, 0x03}));
}

TEST(ProtoWireTest, EmptyListAttrAndUnknownDim) {
  tensorflow::AttrValue empty_list;
  empty_list.mutable_list();
  EXPECT_EQ(empty_list.SerializeAsString(), Bytes({0x0a, 0x00}));

  tensorflow::TensorShapeProto shape;
  shape.add_dim()->set_size(-1);
  EXPECT_EQ(shape.SerializeAsString(), Bytes({0x12, 0x0b, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                              0xff, 0xff, 0xff, 0x01}));
}

TEST(ProtoWireTest, PackedRepeatedScalars) {
  tensorflow::TensorProto tensor;
  tensor.add_int_val(1);
  tensor.add_int_val(2);
  tensor.add_half_val(0x3c00);
  // int_val = 7 packed (3a 02 01 02); half_val = 13 packed: 0x3c00 is the
  // varint 80 78 (6a 02 80 78).
  EXPECT_EQ(tensor.SerializeAsString(), Bytes({0x3a, 0x02, 0x01, 0x02, 0x6a, 0x02, 0x80, 0x78}));
}

TEST(ProtoWireTest, StructuredValueInt64IsZigZag) {
  tensorflow::StructuredValue value;
  value.set_int64_value(-1);
  EXPECT_EQ(value.SerializeAsString(), Bytes({0x60, 0x01}));
}

TEST(ProtoWireTest, GraphDebugInfoIsProto2WithPresence) {
  tensorflow::GraphDebugInfo::FileLineCol location;
  location.set_file_index(0);  // proto2: explicitly set zero is emitted.
  EXPECT_EQ(location.SerializeAsString(), Bytes({0x08, 0x00}));
  EXPECT_TRUE(location.has_file_index());
  EXPECT_FALSE(location.has_line());
}

TEST(ProtoWireTest, DeterministicMapOrder) {
  tensorflow::NodeDef node;
  (*node.mutable_attr())["b"].set_i(2);
  (*node.mutable_attr())["a"].set_i(1);
  // attr = 5: entries sorted by key, each {key = 1, value = 2 {i = 3}}.
  const std::string entry_a = Bytes({0x2a, 0x07, 0x0a, 0x01, 'a', 0x12, 0x02, 0x18, 0x01});
  const std::string entry_b = Bytes({0x2a, 0x07, 0x0a, 0x01, 'b', 0x12, 0x02, 0x18, 0x02});
  EXPECT_EQ(Deterministic(node), entry_a + entry_b);
}

TEST(ProtoWireTest, HubModuleDefV3) {
  tensorflow_hub::ModuleDef def;
  def.set_format(tensorflow_hub::ModuleDef::FORMAT_V3);
  EXPECT_EQ(def.SerializeAsString(), Bytes({0x08, 0x03}));

  tensorflow_hub::ImageModuleInfo info;
  info.mutable_default_image_size()->set_height(224);
  info.mutable_default_image_size()->set_width(224);
  EXPECT_EQ(info.SerializeAsString(), Bytes({0x0a, 0x06, 0x08, 0xe0, 0x01, 0x10, 0xe0, 0x01}));
}

TEST(ProtoWireTest, CheckpointStateTextFormat) {
  // The state file TensorFlow's Saver writes (text format).
  const std::string text =
      "model_checkpoint_path: \"model.ckpt-20\"\n"
      "all_model_checkpoint_paths: \"model.ckpt-10\"\n"
      "all_model_checkpoint_paths: \"model.ckpt-20\"\n"
      "all_model_checkpoint_timestamps: 1700000000.5\n"
      "all_model_checkpoint_timestamps: 1700000100.25\n"
      "last_preserved_timestamp: 1699999999.0\n";
  tensorflow::CheckpointState state;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &state));
  EXPECT_EQ(state.model_checkpoint_path(), "model.ckpt-20");
  ASSERT_EQ(state.all_model_checkpoint_paths_size(), 2);
  EXPECT_EQ(state.all_model_checkpoint_paths(0), "model.ckpt-10");
  EXPECT_DOUBLE_EQ(state.all_model_checkpoint_timestamps(1), 1700000100.25);
  EXPECT_DOUBLE_EQ(state.last_preserved_timestamp(), 1699999999.0);
}

TEST(ProtoWireTest, AnyOfAssetFileDefPrintsWithTensorFlowTypeUrl) {
  tensorflow::AssetFileDef asset;
  asset.set_filename("vocab.txt");
  google::protobuf::Any any;
  any.PackFrom(asset);
  EXPECT_EQ(any.type_url(), "type.googleapis.com/tensorflow.AssetFileDef");
  std::string text;
  google::protobuf::TextFormat::Printer printer;
  printer.SetExpandAny(true);  // As TensorFlow's Python text_format does.
  ASSERT_TRUE(printer.PrintToString(any, &text));
  EXPECT_EQ(text,
            "[type.googleapis.com/tensorflow.AssetFileDef] {\n  filename: \"vocab.txt\"\n}\n");
}

}  // namespace
