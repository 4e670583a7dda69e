// ringcast daemon entry point; everything but the engine factory lives in rc_api.
#include "api/cli.h"

int main(int argc, char** argv) {
  return rc::api::runCli(
      argc, argv, [](const rc::api::Config& config) { return rc::api::createMediaEngine(config); });
}
