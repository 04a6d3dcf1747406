// Finds what a parsed protocol buffer carries that our .proto files do not
// describe: unknown fields (kept by protobuf as raw wire data) and enum
// values missing from our enums (proto3 enums keep them as plain numbers).
//
// Used by `tf1hub proto roundtrip` to prove that our schemas cover what real
// TensorFlow writes.
//
//   std::vector<ProtoIssue> issues = FindProtoIssues(saved_model);
//   for (const ProtoIssue& issue : issues) puts(FormatProtoIssue(issue).c_str());
//   // meta_graphs[0].graph_def.node[3].attr["x"].value: unknown field 17 (varint)
//
// Thread safety: the functions are pure; the message must not be mutated
// while it is walked.
#ifndef TF1HUB_TOOLS_PROTO_UNKNOWN_FIELDS_H_
#define TF1HUB_TOOLS_PROTO_UNKNOWN_FIELDS_H_

#include <google/protobuf/message.h>

#include <set>
#include <string>
#include <vector>

namespace tf1hub::cli {

struct ProtoIssue {
  enum class Kind {
    kUnknownField,      // A field number the message type does not define.
    kUnknownEnumValue,  // An enum field holding a number the enum lacks.
    kBadAnyPayload,     // An Any whose bytes do not parse as its named type.
  };
  Kind kind = Kind::kUnknownField;
  // Where, e.g. `meta_graphs[0].graph_def.node[3].attr["x"].value`; empty for
  // the root message. Map entries appear as `name["key"]` / `name[7]`; the
  // contents of a google.protobuf.Any as `field(type.name)`.
  std::string path;
  // kUnknownField: the field number; kUnknownEnumValue: the enum number.
  int number = 0;
  // kUnknownField: "varint", "fixed64", "length-delimited", "group",
  // "fixed32". kUnknownEnumValue: the enum's full name. kBadAnyPayload: the
  // type name.
  std::string detail;
};

struct ProtoIssueOptions {
  // Fully-qualified message types whose subtrees are not entered.
  std::set<std::string> skipped_types = {"tensorflow.FunctionDefLibrary",
                                         "tensorflow.GraphDebugInfo"};
  // Decode google.protobuf.Any payloads whose type is in the generated
  // descriptor pool and look inside them too.
  bool look_inside_any = true;
};

// Walks `message` and everything under it (repeated fields in order, map
// entries sorted by key) and returns every issue found, in walk order.
std::vector<ProtoIssue> FindProtoIssues(const google::protobuf::Message& message,
                                        const ProtoIssueOptions& options = {});

// "path: unknown field 17 (varint)", "path: unknown enum value 40 of
// tensorflow.DataType", "path: Any payload does not parse as X". The root
// path prints as "(root)".
std::string FormatProtoIssue(const ProtoIssue& issue);

}  // namespace tf1hub::cli

#endif  // TF1HUB_TOOLS_PROTO_UNKNOWN_FIELDS_H_
