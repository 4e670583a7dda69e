// The daemon's recorder: the configured store (S3 or the local folder, record/store), the
// libavformat muxer (record/mux) and the RecorderService thread, built once at start. The
// store's crash recovery runs first, so recordings a crash left in the spool are finished.
#pragma once

#include "api/daemon.h"

namespace rc::record {

// An api::RecorderFactory for runServe(): needs the engine to be a record::RecordSource
// (engine::Engine is); otherwise no recorder (the recording routes then answer 501).
api::RecorderBundle makeDaemonRecorder(const api::Config& config, api::MediaEngine& engine);

}  // namespace rc::record
