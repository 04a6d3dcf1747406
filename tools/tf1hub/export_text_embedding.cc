// `tf1hub export-text-embedding --embeddings FILE --out DIR
//   [--num-oov-buckets N] [--preprocess-text | --no-preprocess-text]`:
// tensorflow_hub's examples/text_embeddings/export.py as a command.
//
// Reads a "token v1 ... vN" file and writes a TF1 Hub text embedding module
// (see include/tf1hub/hub/text_embedding.h). --preprocess-text is on by
// default, as hub's flag (whose argparse type=bool makes any given value
// true); --no-preprocess-text (or --preprocess-text=false) writes the
// token-lookup module instead. When stderr is a terminal a progress bar is
// drawn there; stdout gets one summary line.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "command.h"
#include "tf1hub/hub/text_embedding.h"

namespace tf1hub::cli {
namespace {

// A one-line progress bar on stderr, redrawn at most every 100 ms.
class ProgressBar {
 public:
  void Update(hub::TextEmbeddingExportStage stage, uint64_t done, uint64_t total) {
    using Stage = hub::TextEmbeddingExportStage;
    const auto now = std::chrono::steady_clock::now();
    const bool stage_changed = stage != stage_;
    if (!stage_changed && stage != Stage::kDone && now - last_draw_ < std::chrono::milliseconds(100)) {
      return;
    }
    last_draw_ = now;
    stage_ = stage;
    const char* label = stage == Stage::kReading    ? "reading embeddings"
                        : stage == Stage::kBuilding ? "building module   "
                        : stage == Stage::kWriting  ? "writing module    "
                                                    : "done              ";
    const double fraction =
        stage == Stage::kReading ? (total == 0 ? 1.0 : static_cast<double>(done) / total) : 1.0;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(filled, '#');
    bar.append(kWidth - filled, '.');
    if (stage == Stage::kReading) {
      std::fprintf(stderr, "\r%s [%s] %3d%% %.1f/%.1f MB", label, bar.c_str(),
                   static_cast<int>(fraction * 100), done / 1e6, total / 1e6);
    } else {
      std::fprintf(stderr, "\r%s [%s]                      ", label, bar.c_str());
    }
    if (stage == Stage::kDone) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  hub::TextEmbeddingExportStage stage_ = hub::TextEmbeddingExportStage::kDone;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace

void AddExportTextEmbeddingCommand(CLI::App& app, int* exit_code) {
  struct Args {
    std::string embeddings;
    std::string out;
    int64_t num_oov_buckets = 1;
    bool preprocess_text = true;
  };
  auto args = std::make_shared<Args>();
  CLI::App* command = app.add_subcommand(
      "export-text-embedding",
      "Export a text embeddings file (token v1 ... vN per line) as a TF1 Hub module, "
      "as tensorflow_hub's examples/text_embeddings/export.py does");
  command->add_option("--embeddings", args->embeddings, "Text embeddings file")->required();
  command->add_option("--out", args->out, "Module directory to write (new or empty)")->required();
  command->add_option("--num-oov-buckets", args->num_oov_buckets,
                      "Out-of-vocabulary hash buckets (zero rows), > 0")
      ->capture_default_str();
  command->add_flag("--preprocess-text,!--no-preprocess-text", args->preprocess_text,
                    "Input whole sentences: strip punctuation, split on spaces, combine with "
                    "sqrtn (default: true, as hub). Off: the input is tokens.");
  SetCommandBody(command, exit_code, [args]() -> Status {
    ProgressBar bar;
    hub::TextEmbeddingProgressFn progress;
    if (isatty(STDERR_FILENO)) {
      progress = [&bar](hub::TextEmbeddingExportStage stage, uint64_t done, uint64_t total) {
        bar.Update(stage, done, total);
      };
    }
    StatusOr<hub::TextEmbeddingExportStats> stats = hub::ExportTextEmbeddingModule(
        args->embeddings, args->out, args->num_oov_buckets, args->preprocess_text, progress);
    if (!stats.ok()) {
      if (progress) std::fputc('\n', stderr);  // end the bar's line
      return stats.status();
    }
    std::printf("exported %lld tokens x %lld (+%lld OOV buckets, %s) to %s in %.2f s "
                "(reading %.2f s)\n",
                static_cast<long long>(stats->vocab_size), static_cast<long long>(stats->dim),
                static_cast<long long>(args->num_oov_buckets),
                args->preprocess_text ? "sentences" : "tokens", args->out.c_str(),
                stats->read_seconds + stats->export_seconds, stats->read_seconds);
    return Status::OK();
  });
}

}  // namespace tf1hub::cli
