// `tf1hub proto roundtrip --type NAME IN OUT [--text] [--text-out] [--json]`:
// parses IN as the message NAME with our own .proto files, reports anything
// the schemas do not describe, and writes the message back to OUT.
//
// The check proves that our schemas cover what real TensorFlow writes: every
// unknown field (and enum number our enums lack) anywhere in the tree is
// reported by path, e.g.
//   meta_graphs[0].graph_def.node[3].attr["x"].value: unknown field 17 (varint)
// except inside GraphDef.library (FunctionDefLibrary) and GraphDebugInfo.
// OUT is always written (unknown fields are carried through), serialized
// deterministically: fields in number order and map entries sorted by key,
// which is what TensorFlow's Python SavedModel writers do.
//
// Exit status: 0 when IN parsed and nothing unknown was found; 1 otherwise,
// with a message naming IN.
//
// Text output: one line per issue, then
//   tensorflow.SavedModel: 'IN' 1234 bytes -> 'OUT' 1234 bytes (identical), 0 issues
// --json prints {"type", "input", "output", "input_bytes", "output_bytes",
// "identical", "issues": [{"path", "kind", "number", "detail", "message"}]}.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

#include <climits>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "command.h"
#include "proto_unknown_fields.h"
#include "tf1hub/env.h"
#include "tf1hub/proto/checkpoint_state.pb.h"
#include "tf1hub/proto/fingerprint.pb.h"
#include "tf1hub/proto/image_module_info.pb.h"
#include "tf1hub/proto/module_attachment.pb.h"
#include "tf1hub/proto/module_def.pb.h"
#include "tf1hub/proto/saved_model.pb.h"
#include "tf1hub/proto/tensor_bundle.pb.h"
#include "tf1hub/proto/trackable_object_graph.pb.h"

namespace tf1hub::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::Message;

// Messages whose generated code this binary must link, so that they (and
// every type they import) are in the generated descriptor pool: a static
// library's unreferenced .pb.o would be dropped by the linker and its types
// would be missing from the pool. Any other message type of those files can
// be named too.
std::vector<const Message*> LinkedRoots() {
  return {
      &tensorflow::SavedModel::default_instance(),
      &tensorflow::CheckpointState::default_instance(),
      &tensorflow::BundleEntryProto::default_instance(),
      &tensorflow::BundleHeaderProto::default_instance(),
      &tensorflow::FingerprintDef::default_instance(),
      &tensorflow::TrackableObjectGraph::default_instance(),
      &tensorflow_hub::ModuleDef::default_instance(),
      &tensorflow_hub::ModuleAttachment::default_instance(),
      &tensorflow_hub::ImageModuleInfo::default_instance(),
  };
}

StatusOr<std::unique_ptr<Message>> NewMessage(const std::string& type_name) {
  const Descriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(type_name);
  const Message* prototype =
      descriptor == nullptr
          ? nullptr
          : google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor);
  if (prototype == nullptr) {
    std::string known;
    for (const Message* root : LinkedRoots()) {
      known += (known.empty() ? "" : ", ") + root->GetDescriptor()->full_name();
    }
    return InvalidArgumentError("unknown message type '" + type_name +
                                "' (fully-qualified names, e.g. " + known + ")");
  }
  return std::unique_ptr<Message>(prototype->New());
}

StatusOr<std::string> SerializeDeterministically(const Message& message, const std::string& type) {
  const size_t size = message.ByteSizeLong();
  if (size > static_cast<size_t>(INT_MAX)) {
    return InvalidArgumentError(type + " of " + std::to_string(size) +
                                " bytes is over protobuf's 2 GiB limit");
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeWithCachedSizes(&coded);
    if (coded.HadError()) return InternalError("serializing " + type + " failed");
  }
  return bytes;
}

// Keeps the first text-format parse error (line and column are 0-based).
class TextErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (first.empty()) {
      first = "line " + std::to_string(line + 1) + " column " + std::to_string(column + 1) +
              ": " + message;
    }
  }
  std::string first;
};

struct Options {
  std::string type;
  std::string input;
  std::string output;
  bool text_in = false;
  bool text_out = false;
  bool json = false;
};

std::string KindName(ProtoIssue::Kind kind) {
  switch (kind) {
    case ProtoIssue::Kind::kUnknownField:
      return "unknown_field";
    case ProtoIssue::Kind::kUnknownEnumValue:
      return "unknown_enum_value";
    case ProtoIssue::Kind::kBadAnyPayload:
      return "bad_any_payload";
  }
  return "?";
}

Status Print(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    return UnavailableError("writing the report to standard output failed");
  }
  return Status::OK();
}

Status RunRoundtrip(const Options& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<Message> message, NewMessage(options.type));
  FileSystem* fs = PosixFileSystem();
  ASSIGN_OR_RETURN(std::string input, fs->ReadFileToString(options.input));

  const std::string in_name = "'" + options.input + "'";
  if (options.text_in) {
    TextErrors errors;
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&errors);
    if (!parser.ParseFromString(input, message.get())) {
      return DataLossError(in_name + " is not a text-format " + options.type + ": " +
                           (errors.first.empty() ? "parse error" : errors.first));
    }
  } else if (!message->ParseFromString(input)) {
    return DataLossError(in_name + " (" + std::to_string(input.size()) +
                         " bytes) does not parse as a binary " + options.type +
                         " (truncated or not this message type)");
  }

  const std::vector<ProtoIssue> issues = FindProtoIssues(*message);

  std::string output;
  if (options.text_out) {
    google::protobuf::TextFormat::Printer printer;
    printer.SetExpandAny(true);  // Like TensorFlow's Python text_format.
    if (!printer.PrintToString(*message, &output)) {
      return InternalError("printing " + options.type + " as text failed");
    }
  } else {
    ASSIGN_OR_RETURN(output, SerializeDeterministically(*message, options.type));
  }
  RETURN_IF_ERROR(fs->WriteStringToFileAtomically(options.output, output));
  const bool identical = input == output;

  if (options.json) {
    nlohmann::json report = {{"type", options.type},        {"input", options.input},
                             {"output", options.output},    {"input_bytes", input.size()},
                             {"output_bytes", output.size()}, {"identical", identical}};
    nlohmann::json list = nlohmann::json::array();
    for (const ProtoIssue& issue : issues) {
      list.push_back({{"path", issue.path},
                      {"kind", KindName(issue.kind)},
                      {"number", issue.number},
                      {"detail", issue.detail},
                      {"message", FormatProtoIssue(issue)}});
    }
    report["issues"] = std::move(list);
    RETURN_IF_ERROR(
        Print(report.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"));
  } else {
    std::string text;
    for (const ProtoIssue& issue : issues) text += FormatProtoIssue(issue) + "\n";
    text += options.type + ": " + in_name + " " + std::to_string(input.size()) + " bytes -> '" +
            options.output + "' " + std::to_string(output.size()) + " bytes" +
            (identical ? " (identical)" : " (different)") + ", " + std::to_string(issues.size()) +
            (issues.size() == 1 ? " issue\n" : " issues\n");
    RETURN_IF_ERROR(Print(text));
  }

  if (!issues.empty()) {
    return UnimplementedError(in_name + " (" + options.type + ") holds " +
                              std::to_string(issues.size()) +
                              " item(s) our .proto files do not describe; first: " +
                              FormatProtoIssue(issues.front()));
  }
  return Status::OK();
}

}  // namespace

void AddProtoRoundtripCommand(CLI::App& proto, int* exit_code) {
  CLI::App* roundtrip = proto.add_subcommand(
      "roundtrip",
      "Parse a message with our .proto files, report unknown fields, write it back "
      "deterministically");
  auto options = std::make_shared<Options>();
  roundtrip
      ->add_option("--type", options->type,
                   "Fully-qualified message type, e.g. tensorflow.SavedModel, "
                   "tensorflow.MetaGraphDef, tensorflow.GraphDef, tensorflow.CheckpointState, "
                   "tensorflow.BundleEntryProto, tensorflow.BundleHeaderProto, "
                   "tensorflow_hub.ModuleDef")
      ->required();
  roundtrip->add_option("in", options->input, "Input file (binary unless --text)")->required();
  roundtrip->add_option("out", options->output, "Output file (binary unless --text-out)")
      ->required();
  roundtrip->add_flag("--text", options->text_in, "Parse IN as protobuf text format");
  roundtrip->add_flag("--text-out", options->text_out, "Write OUT as protobuf text format");
  roundtrip->add_flag("--json", options->json, "Print the report as JSON");
  SetCommandBody(roundtrip, exit_code, [options] { return RunRoundtrip(*options); });
}

}  // namespace tf1hub::cli
