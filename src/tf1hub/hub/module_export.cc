// Module::Export: the spec's graphs plus the variables' current values
// (hub's _ModuleImpl.export with its Saver(variable_map, sharded=True)).
#include <string>
#include <utility>
#include <vector>

#include "tf1hub/checkpoint.h"
#include "tf1hub/hub/module_impl.h"
#include "tf1hub/hub/module_writer.h"

namespace tf1hub::hub {
namespace {

// The slice a partitioned part covers, from its SaveSliceInfoDef.
StatusOr<std::pair<TensorShape, TensorSlice>> PartSlice(const tensorflow::VariableDef& def) {
  const tensorflow::SaveSliceInfoDef& info = def.save_slice_info_def();
  if (info.var_offset_size() != info.full_shape_size() ||
      info.var_shape_size() != info.full_shape_size()) {
    return InvalidArgumentError("variable '" + def.variable_name() +
                                "': save_slice_info_def has inconsistent ranks");
  }
  std::vector<int64_t> full(info.full_shape().begin(), info.full_shape().end());
  ASSIGN_OR_RETURN(TensorShape full_shape, TensorShape::Create(full));
  TensorSlice slice;
  for (int i = 0; i < info.full_shape_size(); ++i) {
    slice.extents.push_back({info.var_offset(i), info.var_shape(i)});
  }
  return std::make_pair(std::move(full_shape), std::move(slice));
}

}  // namespace

Status WriteModuleVariables(const Module::Impl& impl, Session& session, const std::string& prefix) {
  if (impl.variables.empty()) return Status::OK();
  std::vector<std::string> fetches;
  for (const auto& [key, parts] : impl.variables) {
    for (const ModuleVariable& part : parts) fetches.push_back(part.variable.snapshot().ToString());
  }
  StatusOr<std::vector<Tensor>> values = session.Run({}, fetches, {});
  if (!values.ok()) {
    return values.status().WithContext("reading the variables of module '" + impl.scope_name +
                                       "'");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<CheckpointWriter> writer, CheckpointWriter::Create(prefix));
  size_t i = 0;
  for (const auto& [key, parts] : impl.variables) {
    for (const ModuleVariable& part : parts) {
      const Tensor& value = (*values)[i++];
      if (!part.def.has_save_slice_info_def()) {
        RETURN_IF_ERROR_WITH_CONTEXT(writer->Add(key, value), "saving variable '" + key + "'");
        continue;
      }
      ASSIGN_OR_RETURN(auto full_and_slice, PartSlice(part.def));
      RETURN_IF_ERROR_WITH_CONTEXT(
          writer->AddSlice(key, full_and_slice.first, full_and_slice.second, value),
          "saving variable '" + key + "'");
    }
  }
  return writer->Finish();
}

Status Module::Export(const std::string& path, Session& session) const {
  return WriteModuleDirectory(path, *impl_->spec, [&](const std::string& prefix) {
    return WriteModuleVariables(*impl_, session, prefix);
  });
}

}  // namespace tf1hub::hub
