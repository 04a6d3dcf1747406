#include "proto_unknown_fields.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/unknown_field_set.h>

#include <algorithm>
#include <memory>

namespace tf1hub::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MessageFactory;
using google::protobuf::Reflection;
using google::protobuf::UnknownField;
using google::protobuf::UnknownFieldSet;

// Each Any payload is parsed afresh (with protobuf's own depth limit), so a
// hostile file could chain Anys inside Anys; we stop looking in after this
// many levels to bound recursion.
constexpr int kMaxAnyNesting = 8;

const char* WireTypeName(UnknownField::Type type) {
  switch (type) {
    case UnknownField::TYPE_VARINT:
      return "varint";
    case UnknownField::TYPE_FIXED32:
      return "fixed32";
    case UnknownField::TYPE_FIXED64:
      return "fixed64";
    case UnknownField::TYPE_LENGTH_DELIMITED:
      return "length-delimited";
    case UnknownField::TYPE_GROUP:
      return "group";
  }
  return "unknown wire type";
}

// Quotes a map key for a path: printable ASCII stays, the rest is \xNN.
std::string QuoteKey(const std::string& key) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : key) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out + "\"";
}

std::string Join(const std::string& path, const std::string& name) {
  return path.empty() ? name : path + "." + name;
}

class IssueFinder {
 public:
  IssueFinder(const ProtoIssueOptions& options, std::vector<ProtoIssue>* issues)
      : options_(options), issues_(issues) {}

  void Walk(const Message& message, const std::string& path) {
    const Reflection* reflection = message.GetReflection();
    const UnknownFieldSet& unknown = reflection->GetUnknownFields(message);
    for (int i = 0; i < unknown.field_count(); ++i) {
      const UnknownField& field = unknown.field(i);
      issues_->push_back({ProtoIssue::Kind::kUnknownField, path, field.number(),
                          WireTypeName(field.type())});
    }
    if (options_.look_inside_any && message.GetDescriptor()->full_name() == "google.protobuf.Any") {
      WalkAnyPayload(message, path);
    }
    std::vector<const FieldDescriptor*> fields;
    reflection->ListFields(message, &fields);
    for (const FieldDescriptor* field : fields) WalkField(message, *field, path);
  }

 private:
  void WalkField(const Message& message, const FieldDescriptor& field, const std::string& path) {
    const Reflection* reflection = message.GetReflection();
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      CheckEnum(message, field, path);
      return;
    }
    if (field.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return;
    if (options_.skipped_types.count(field.message_type()->full_name()) > 0) return;
    const std::string name = Join(path, field.name());
    if (!field.is_repeated()) {
      Walk(reflection->GetMessage(message, &field), name);
      return;
    }
    const int size = reflection->FieldSize(message, &field);
    if (!field.is_map()) {
      for (int i = 0; i < size; ++i) {
        Walk(reflection->GetRepeatedMessage(message, &field, i),
             name + "[" + std::to_string(i) + "]");
      }
      return;
    }
    // Map: visit entries in key order so reports are stable.
    std::vector<const Message*> entries;
    entries.reserve(size);
    for (int i = 0; i < size; ++i) entries.push_back(&reflection->GetRepeatedMessage(message, &field, i));
    const FieldDescriptor* key = field.message_type()->map_key();
    std::stable_sort(entries.begin(), entries.end(), [key](const Message* a, const Message* b) {
      return KeyLess(*a, *b, *key);
    });
    for (const Message* entry : entries) Walk(*entry, name + "[" + KeyText(*entry, *key) + "]");
  }

  static bool KeyLess(const Message& a, const Message& b, const FieldDescriptor& key) {
    const Reflection* ra = a.GetReflection();
    const Reflection* rb = b.GetReflection();
    switch (key.cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        return ra->GetString(a, &key) < rb->GetString(b, &key);
      case FieldDescriptor::CPPTYPE_INT32:
        return ra->GetInt32(a, &key) < rb->GetInt32(b, &key);
      case FieldDescriptor::CPPTYPE_INT64:
        return ra->GetInt64(a, &key) < rb->GetInt64(b, &key);
      case FieldDescriptor::CPPTYPE_UINT32:
        return ra->GetUInt32(a, &key) < rb->GetUInt32(b, &key);
      case FieldDescriptor::CPPTYPE_UINT64:
        return ra->GetUInt64(a, &key) < rb->GetUInt64(b, &key);
      case FieldDescriptor::CPPTYPE_BOOL:
        return ra->GetBool(a, &key) < rb->GetBool(b, &key);
      default:
        return false;  // Map keys cannot have other types.
    }
  }

  static std::string KeyText(const Message& entry, const FieldDescriptor& key) {
    const Reflection* r = entry.GetReflection();
    switch (key.cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        return QuoteKey(r->GetString(entry, &key));
      case FieldDescriptor::CPPTYPE_INT32:
        return std::to_string(r->GetInt32(entry, &key));
      case FieldDescriptor::CPPTYPE_INT64:
        return std::to_string(r->GetInt64(entry, &key));
      case FieldDescriptor::CPPTYPE_UINT32:
        return std::to_string(r->GetUInt32(entry, &key));
      case FieldDescriptor::CPPTYPE_UINT64:
        return std::to_string(r->GetUInt64(entry, &key));
      case FieldDescriptor::CPPTYPE_BOOL:
        return r->GetBool(entry, &key) ? "true" : "false";
      default:
        return "?";
    }
  }

  void CheckEnum(const Message& message, const FieldDescriptor& field, const std::string& path) {
    const Reflection* reflection = message.GetReflection();
    const EnumDescriptor* type = field.enum_type();
    const std::string name = Join(path, field.name());
    auto check = [&](int value, const std::string& where) {
      if (type->FindValueByNumber(value) == nullptr) {
        issues_->push_back({ProtoIssue::Kind::kUnknownEnumValue, where, value, type->full_name()});
      }
    };
    if (!field.is_repeated()) {
      check(reflection->GetEnumValue(message, &field), name);
      return;
    }
    const int size = reflection->FieldSize(message, &field);
    for (int i = 0; i < size; ++i) {
      check(reflection->GetRepeatedEnumValue(message, &field, i), name + "[" + std::to_string(i) + "]");
    }
  }

  // Decodes the payload of a google.protobuf.Any when its type is known to
  // the generated pool, and walks it under "path(type)".
  void WalkAnyPayload(const Message& any, const std::string& path) {
    const Descriptor* descriptor = any.GetDescriptor();
    const FieldDescriptor* url_field = descriptor->FindFieldByNumber(1);
    const FieldDescriptor* value_field = descriptor->FindFieldByNumber(2);
    if (url_field == nullptr || value_field == nullptr) return;
    const Reflection* reflection = any.GetReflection();
    const std::string url = reflection->GetString(any, url_field);
    const std::string type_name = url.substr(url.rfind('/') + 1);  // npos + 1 == 0
    if (type_name.empty()) return;
    const Descriptor* payload_type = DescriptorPool::generated_pool()->FindMessageTypeByName(type_name);
    if (payload_type == nullptr) return;  // Not ours to judge.
    const Message* prototype = MessageFactory::generated_factory()->GetPrototype(payload_type);
    if (prototype == nullptr) return;
    std::unique_ptr<Message> payload(prototype->New());
    const std::string bytes = reflection->GetString(any, value_field);
    const std::string payload_path = path + "(" + type_name + ")";
    if (!payload->ParseFromString(bytes)) {
      issues_->push_back({ProtoIssue::Kind::kBadAnyPayload, path, 0, type_name});
      return;
    }
    if (options_.skipped_types.count(type_name) > 0) return;
    if (any_nesting_ >= kMaxAnyNesting) return;
    ++any_nesting_;
    Walk(*payload, payload_path);
    --any_nesting_;
  }

  const ProtoIssueOptions& options_;
  std::vector<ProtoIssue>* issues_;
  int any_nesting_ = 0;
};

}  // namespace

std::vector<ProtoIssue> FindProtoIssues(const Message& message, const ProtoIssueOptions& options) {
  std::vector<ProtoIssue> issues;
  IssueFinder(options, &issues).Walk(message, "");
  return issues;
}

std::string FormatProtoIssue(const ProtoIssue& issue) {
  const std::string where = issue.path.empty() ? "(root)" : issue.path;
  switch (issue.kind) {
    case ProtoIssue::Kind::kUnknownField:
      return where + ": unknown field " + std::to_string(issue.number) + " (" + issue.detail + ")";
    case ProtoIssue::Kind::kUnknownEnumValue:
      return where + ": unknown enum value " + std::to_string(issue.number) + " of " + issue.detail;
    case ProtoIssue::Kind::kBadAnyPayload:
      return where + ": Any payload does not parse as " + issue.detail;
  }
  return where + ": ?";
}

}  // namespace tf1hub::cli
