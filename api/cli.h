// Command line of the `ringcast` binary (CLI11):
//   ringcast [serve] [--config FILE] [--dev] [--port N] [--udp-port N] [--workers N]
//                    [--io-backend auto|io_uring|mmsg] [--node-ip IP] [--key-file F]
//                    [--log-level L] [--log-json] [--tls-cert F --tls-key F]
//                    [--drain-timeout S]
//   ringcast token --room R --identity I [--config FILE | --api-key K --api-secret S]
//                  [--ttl 6h] [--publish/--no-publish] [--subscribe/--no-subscribe]
//   ringcast tune check|apply|list|show ...   (tuning/tune_command.h)
//   ringcast --version
#pragma once

#include "api/daemon.h"

namespace rc::api {

int runCli(int argc, char** argv, const EngineFactory& factory,
           const RecorderFactory& recorders = {});

}  // namespace rc::api
