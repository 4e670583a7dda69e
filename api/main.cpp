// ringcast daemon entry point; everything but the engine and recorder factories lives in rc_api.
#include "api/cli.h"
#include "record/daemon_recorder.h"

int main(int argc, char** argv) {
  return rc::api::runCli(
      argc, argv, [](const rc::api::Config& config) { return rc::api::createMediaEngine(config); },
      rc::record::makeDaemonRecorder);
}
