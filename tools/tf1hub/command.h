// Shared plumbing for the tf1hub CLI: each subcommand lives in its own file
// and exposes one Add...Command function, called from main.cc.
#ifndef TF1HUB_TOOLS_COMMAND_H_
#define TF1HUB_TOOLS_COMMAND_H_

#include <CLI/CLI.hpp>

#include <functional>

#include "tf1hub/status.h"

namespace tf1hub::cli {

// Wraps a command body: runs it when CLI11 selects the subcommand, prints a
// failed Status as "tf1hub <name>: <CODE>: <message>" on stderr, and records
// the process exit code (0 on success, 1 on error).
void SetCommandBody(CLI::App* command, int* exit_code, std::function<Status()> body);

// Subcommands (one file each).
void AddCheckpointLsCommand(CLI::App& checkpoint, int* exit_code);     // checkpoint_ls.cc
void AddCheckpointGetCommand(CLI::App& checkpoint, int* exit_code);    // checkpoint_get.cc
void AddCheckpointWriteCommand(CLI::App& checkpoint, int* exit_code);  // checkpoint_write.cc
void AddProtoRoundtripCommand(CLI::App& proto, int* exit_code);        // proto_roundtrip.cc
void AddGraphRunCommand(CLI::App& graph, int* exit_code);              // graph_run.cc
// Hub modules (work in hub_inspect.cc, hub_run.cc, hub_export_latest.cc).
void AddInspectCommand(CLI::App& app, int* exit_code);       // hub_commands.cc
void AddRunCommand(CLI::App& app, int* exit_code);           // hub_commands.cc
void AddExportLatestCommand(CLI::App& app, int* exit_code);  // hub_commands.cc
void AddExportTextEmbeddingCommand(CLI::App& app, int* exit_code);  // export_text_embedding.cc

}  // namespace tf1hub::cli

#endif  // TF1HUB_TOOLS_COMMAND_H_
