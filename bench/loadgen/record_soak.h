// `ringcast-bench record`: the recorder's cost under a long load (issue 5). N synthetic WHIP
// publishers (VP8 at --video-kbps + Opus), each alone in its own room, are recorded through
// the app API (/start-recording) for --duration seconds while the server's recorder threads
// (rc-recorder, rc-s3-upload), its whole CPU and its RSS are sampled every --sample seconds.
// JSON keys: recordings, video_kbps, duration_s, samples [{t_s, rss_kib, cpu_percent,
// recorder_cpu_percent, upload_cpu_percent, written_bytes, pending_bytes, tap_drops}],
// recorder_cpu_percent, upload_cpu_percent, server_cpu_percent, written_mbit_per_s,
// expected_mbit_per_s, rss_kib {before, first, last, max}, rss_slope_kib_per_min (second half),
// tap_drops, completed, failed.
#pragma once

#include <nlohmann/json.hpp>

#include "bench/loadgen/run.h"

namespace rc::bench {

struct RecordSoakOptions {
  RunOptions run;       // server URL, keys, --server-pid, --video-kbps, --threads
  int recordings = 20;  // publishers, one room and one recording each
  double durationS = 600;
  double sampleS = 10;
};

// Throws std::runtime_error when the publishers cannot join or a recording cannot start.
nlohmann::json runRecordSoak(const RecordSoakOptions& options);

// The human summary and the sample rows.
std::string formatRecordSoak(const nlohmann::json& result);

}  // namespace rc::bench
