// ModuleFnContext: what a module_fn declares (hub.add_signature,
// hub.attach_message), collected for CreateModuleSpec.
#include <string>
#include <utility>

#include "tf1hub/hub/create_module_spec.h"
#include "tf1hub/hub/spec_checks.h"

namespace tf1hub::hub {
namespace {

// hub's pattern for keys: [a-zA-Z][a-zA-Z0-9_]*$ (ASCII only).
bool IsValidAttachmentKey(std::string_view key) {
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (key.empty() || !alpha(key[0])) return false;
  for (char c : key) {
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '_') return false;
  }
  return true;
}

}  // namespace

ModuleFnContext::ModuleFnContext(const Scope& scope, const ModuleFnArgs& args)
    : scope_(scope), args_(args) {}

bool ModuleFnContext::GetBool(std::string_view name, bool default_value) const {
  auto it = args_.find(std::string(name));
  if (it == args_.end()) return default_value;
  if (const bool* value = std::get_if<bool>(&it->second)) return *value;
  return default_value;
}

void ModuleFnContext::AddSignature(std::string name, SignatureTensors inputs,
                                   SignatureTensors outputs) {
  if (name.empty()) name = "default";
  // hub checks the inputs' colocation when add_signature is called and
  // raises from inside module_fn; we record the error in the scope family.
  Status status = CheckSignatureInputColocation(*scope_.graph(), name, inputs);
  if (!status.ok()) {
    scope_.UpdateStatus(status);
    return;
  }
  for (Signature& signature : signatures_) {
    if (signature.name == name) {
      signature.inputs = std::move(inputs);
      signature.outputs = std::move(outputs);
      return;
    }
  }
  signatures_.push_back({std::move(name), std::move(inputs), std::move(outputs)});
}

void ModuleFnContext::AddSignature(std::string name, const Output& input, const Output& output) {
  SignatureTensors inputs, outputs;
  if (!input.empty()) inputs.emplace("default", input);
  if (!output.empty()) outputs.emplace("default", output);
  AddSignature(std::move(name), std::move(inputs), std::move(outputs));
}

Status ModuleFnContext::AttachMessage(std::string_view key,
                                      const google::protobuf::Message& message) {
  if (!IsValidAttachmentKey(key)) {
    Status status = InvalidArgumentError("hub.attach_message() called with malformed key '" +
                                         std::string(key) + "'");
    scope_.UpdateStatus(status);
    return status;
  }
  std::string bytes = message.SerializeAsString();
  for (auto& [k, value] : attachments_) {
    if (k == key) {
      value = std::move(bytes);
      return Status::OK();
    }
  }
  attachments_.emplace_back(std::string(key), std::move(bytes));
  return Status::OK();
}

}  // namespace tf1hub::hub
