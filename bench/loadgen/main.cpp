// ringcast-bench: load generator for ringcast (WHIP/WHEP) and Janus (videoroom HTTP API).
#include <CLI/CLI.hpp>

#include "bench/loadgen/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"ringcast-bench: SFU load generator (issue 3)"};
  app.require_subcommand(1);
  rc::bench::addRunCommand(app);
  rc::bench::addJoinsCommand(app);
  rc::bench::addRecordCommand(app);
  rc::bench::addCompareCommand(app);
#ifdef RC_BENCH_HAS_CAPACITY
  rc::bench::addCapacityCommand(app);
#endif
  CLI11_PARSE(app, argc, argv);
  return 0;
}
