// Registration of the hub subcommands: `tf1hub inspect`, `tf1hub run` and
// `tf1hub export-latest` (their work is in hub_inspect.cc, hub_run.cc and
// hub_export_latest.cc; this file only parses options and prints).
#include <cstdio>
#include <memory>
#include <string>

#include "command.h"
#include "hub_export_latest.h"
#include "hub_inspect.h"
#include "hub_run.h"

namespace tf1hub::cli {
namespace {

Status WriteStdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
      std::fflush(stdout) != 0) {
    return UnavailableError("writing to standard output failed");
  }
  return Status::OK();
}

}  // namespace

void AddInspectCommand(CLI::App& app, int* exit_code) {
  CLI::App* inspect = app.add_subcommand(
      "inspect", "Show a TF1 Hub module's tag sets, signatures, variables, assets, attachments");
  auto path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  inspect->add_option("module", *path, "Module directory (holding tfhub_module.pb)")->required();
  inspect->add_flag("--json", *json,
                    "Print one JSON object (shapes as lists, -1 = unknown dimension, "
                    "null = unknown rank)");
  SetCommandBody(inspect, exit_code, [path, json]() -> Status {
    ASSIGN_OR_RETURN(ModuleInspection inspection, InspectModule(*path));
    if (*json) {
      return WriteStdout(
          InspectionJson(inspection)
              .dump(1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
          "\n");
    }
    return WriteStdout(InspectionText(inspection));
  });
}

void AddRunCommand(CLI::App& app, int* exit_code) {
  CLI::App* run = app.add_subcommand("run", "Run one signature of a TF1 Hub module on .npy inputs");
  auto args = std::make_shared<HubRunArgs>();
  run->add_option("module", args->module, "Module directory (holding tfhub_module.pb)")
      ->required();
  run->add_option("--tags", args->tags,
                  "Graph variant, comma-separated (e.g. train); default: the variant without tags");
  run->add_option("--signature", args->signature, "Signature to run (default: default)");
  run->add_option("--input,-i", args->inputs,
                  "KEY=FILE.npy: value of signature input KEY (repeat for each input)")
      ->allow_extra_args(false);
  run->add_option("--out,-o", args->out_dir, "Directory for KEY.npy per output");
  run->add_flag("--json", args->json, "Print the outputs as JSON {KEY: {dtype, shape, values}}");
  SetCommandBody(run, exit_code, [args]() -> Status {
    std::string json;
    RETURN_IF_ERROR(RunHubCommand(*args, &json));
    return json.empty() ? Status::OK() : WriteStdout(json);
  });
}

void AddExportLatestCommand(CLI::App& app, int* exit_code) {
  CLI::App* command = app.add_subcommand(
      "export-latest", "Export a module from the latest checkpoint of a training directory");
  auto args = std::make_shared<ExportLatestArgs>();
  command->add_option("--spec", args->spec, "TF1 Hub module whose graphs are exported")
      ->required();
  command->add_option("--model-dir", args->model_dir,
                      "Training directory with a 'checkpoint' state file")
      ->required();
  command->add_option("--export-dir", args->export_dir,
                      "Export base: exports go to BASE/<unix seconds>/NAME")
      ->required();
  command->add_option("--name", args->name, "Sub-folder of each export (default: module)");
  command->add_option("--scope", args->scope,
                      "Prefix of the module's variables in the checkpoint, e.g. 'tower/' "
                      "(default: module-relative names)");
  command->add_option("--keep", args->keep, "Newest exports to keep (default: 5)");
  command->add_option("--tags", args->tags,
                      "Graph variant whose variables are restored (default: no tags)");
  SetCommandBody(command, exit_code, [args]() -> Status {
    ASSIGN_OR_RETURN(std::string export_dir, ExportLatest(*args));
    return WriteStdout(export_dir + "\n");
  });
}

}  // namespace tf1hub::cli
