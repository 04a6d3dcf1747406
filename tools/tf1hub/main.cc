// tf1hub: command-line entry point. Each subcommand is registered here from
// its own file.
#include <cstdio>

#include "command.h"

namespace tf1hub::cli {

void SetCommandBody(CLI::App* command, int* exit_code, std::function<Status()> body) {
  command->callback([command, exit_code, body = std::move(body)] {
    Status status = body();
    if (!status.ok()) {
      std::string name = command->get_name();
      for (CLI::App* p = command->get_parent(); p && p->get_parent(); p = p->get_parent()) {
        name = p->get_name() + " " + name;
      }
      std::fprintf(stderr, "tf1hub %s: %s\n", name.c_str(), status.ToString().c_str());
      *exit_code = 1;
    } else {
      *exit_code = 0;
    }
  });
}

}  // namespace tf1hub::cli

int main(int argc, char** argv) {
  using namespace tf1hub::cli;
  CLI::App app{"tf1hub: TensorFlow Hub TF1 modules and checkpoints, without TensorFlow"};
  app.require_subcommand(1);
  int exit_code = 0;

  AddInspectCommand(app, &exit_code);
  AddRunCommand(app, &exit_code);
  AddExportLatestCommand(app, &exit_code);
  AddExportTextEmbeddingCommand(app, &exit_code);

  CLI::App* checkpoint = app.add_subcommand("checkpoint", "Inspect, read and write V2 checkpoints");
  checkpoint->require_subcommand(1);
  AddCheckpointLsCommand(*checkpoint, &exit_code);
  AddCheckpointGetCommand(*checkpoint, &exit_code);
  AddCheckpointWriteCommand(*checkpoint, &exit_code);

  CLI::App* graph = app.add_subcommand("graph", "Run TensorFlow graphs");
  graph->require_subcommand(1);
  AddGraphRunCommand(*graph, &exit_code);

  CLI::App* proto = app.add_subcommand("proto", "Protocol buffer utilities (developers)");
  proto->require_subcommand(1);
  AddProtoRoundtripCommand(*proto, &exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
