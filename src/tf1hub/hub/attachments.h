// Internal: the hub_module_attachments collection of a MetaGraphDef, as
// saved_model_lib reads and writes it: a bytes_list of serialized
// tensorflow_hub.ModuleAttachment{key, value}, one per key.
//
// Thread safety: pure functions.
#ifndef TF1HUB_HUB_ATTACHMENTS_H_
#define TF1HUB_HUB_ATTACHMENTS_H_

#include <string>
#include <utility>
#include <vector>

#include "tf1hub/proto/meta_graph.pb.h"
#include "tf1hub/status.h"

namespace tf1hub::hub {

inline constexpr char kAttachmentCollection[] = "hub_module_attachments";

// (key, serialized message) pairs in first-occurrence order; a repeated key
// keeps its last value (hub's get_attached_bytes_map). A collection of
// another kind, or an entry that is not a ModuleAttachment, is
// InvalidArgument.
StatusOr<std::vector<std::pair<std::string, std::string>>> ReadAttachments(
    const tensorflow::MetaGraphDef& meta_graph);

// Writes `attachments` (keys unique) into the collection; nothing at all if
// there are none (so older readers never see the collection).
void WriteAttachments(const std::vector<std::pair<std::string, std::string>>& attachments,
                      tensorflow::MetaGraphDef* meta_graph);

}  // namespace tf1hub::hub

#endif  // TF1HUB_HUB_ATTACHMENTS_H_
