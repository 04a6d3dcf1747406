// The hub_module_attachments collection (see attachments.h).
#include "tf1hub/hub/attachments.h"

#include "tf1hub/proto/module_attachment.pb.h"

namespace tf1hub::hub {

StatusOr<std::vector<std::pair<std::string, std::string>>> ReadAttachments(
    const tensorflow::MetaGraphDef& meta_graph) {
  std::vector<std::pair<std::string, std::string>> out;
  auto it = meta_graph.collection_def().find(kAttachmentCollection);
  if (it == meta_graph.collection_def().end()) return out;
  const tensorflow::CollectionDef& collection = it->second;
  if (collection.kind_case() != tensorflow::CollectionDef::kBytesList) {
    return InvalidArgumentError(
        "Internal CollectionDef for attached messages has kind " +
        std::string(collection.kind_case() == tensorflow::CollectionDef::KIND_NOT_SET
                        ? "None"
                        : tensorflow::CollectionDef::descriptor()
                              ->FindFieldByNumber(collection.kind_case())
                              ->name()) +
        ", expected bytes_list");
  }
  for (int i = 0; i < collection.bytes_list().value_size(); ++i) {
    tensorflow_hub::ModuleAttachment attachment;
    if (!attachment.ParseFromString(collection.bytes_list().value(i))) {
      return InvalidArgumentError("entry " + std::to_string(i) + " of collection " +
                                  kAttachmentCollection + " is not a ModuleAttachment");
    }
    bool replaced = false;
    for (auto& [key, value] : out) {
      if (key == attachment.key()) {
        value = attachment.value();
        replaced = true;
      }
    }
    if (!replaced) out.emplace_back(attachment.key(), attachment.value());
  }
  return out;
}

void WriteAttachments(const std::vector<std::pair<std::string, std::string>>& attachments,
                      tensorflow::MetaGraphDef* meta_graph) {
  if (attachments.empty()) return;
  auto* list = (*meta_graph->mutable_collection_def())[kAttachmentCollection].mutable_bytes_list();
  list->Clear();
  for (const auto& [key, value] : attachments) {
    tensorflow_hub::ModuleAttachment attachment;
    attachment.set_key(key);
    attachment.set_value(value);
    list->add_value(attachment.SerializeAsString());
  }
}

}  // namespace tf1hub::hub
