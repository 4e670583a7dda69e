// Subcommands of ringcast-bench. Each lives in its own file; main.cpp registers them.
#pragma once

namespace CLI {
class App;
}

namespace rc::bench {

void addRunCommand(CLI::App& app);      // cli.cpp: `run`
void addJoinsCommand(CLI::App& app);    // cli.cpp: `joins`
void addRecordCommand(CLI::App& app);   // cli.cpp: `record` (bench/loadgen/record_soak.h)
void addCompareCommand(CLI::App& app);  // compare.cpp: `compare` (the Janus helper's)
// capacity*.cpp (the Janus helper's): `capacity`. Compiled and registered only when that file
// is present (CMake defines RC_BENCH_HAS_CAPACITY).
void addCapacityCommand(CLI::App& app);

}  // namespace rc::bench
