// The recorder (issue 5): api::Recorder on its own low-priority thread. Each recording
// file is fed from RecordTaps on the publishers' workers (record/record_source.h) into a
// RecordingMuxer writing to a FragmentSink of the RecordingStore. The muxer and the
// store are injected (record/mux, record/store), so tests run with fakes.
//
// EgressInfo states: Starting -> Active (first bytes written) -> Ending (stop, or the
// recorded tracks went away) -> Complete (every upload done), Failed (an upload or the
// muxer failed) or Aborted (stopped before any media was written).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/recorder.h"
#include "record/mux/recording_muxer.h"
#include "record/record_source.h"
#include "record/store/recording_store.h"

namespace rc::record {

// The muxer seam: at merge, {makeRecordingMuxer, containerExtension, containerMimeType}.
struct MuxerFactory {
  std::function<std::unique_ptr<RecordingMuxer>(std::vector<TrackSpec>, FragmentSink&)> make;
  std::function<std::string(const std::vector<TrackSpec>&)> extension, mimeType;
};

struct RecorderOptions {
  int tickMs = 20;          // the loop turns at least this often (the muxer needs <= 50 ms)
  bool startThread = true;  // false: the caller drives turn() (unit tests)
  std::function<int64_t()> unixNowNs;    // wall clock (default: system_clock)
  std::function<int64_t()> steadyNowUs;  // muxer time (default: steady_clock)
};

struct RecorderMetrics {
  uint64_t active = 0;  // egresses not yet final
  uint64_t tapDrops = 0, bytesWritten = 0, completed = 0, failed = 0;
};

class RecorderService final : public api::Recorder {
 public:
  RecorderService(RecordSource& source, RecordingStore& store, MuxerFactory muxers,
                  RecorderOptions options = {});
  ~RecorderService() override;  // stops every recording (files are finished), then the thread

  api::RecorderResult<api::EgressInfo> start(const api::EgressRequest& request) override;
  api::RecorderResult<api::EgressInfo> stop(const std::string& egressId) override;
  std::vector<api::EgressInfo> list(const std::string& roomName, const std::string& egressId,
                                    bool activeOnly) override;
  api::RecorderResult<std::vector<api::RecordingListing>> listRecordings(
      const std::string& roomName, int urlTtlSec) override;
  void setEventSink(api::EgressEventSink sink) override;

  // One loop turn: store/engine notices, taps -> muxers, ticks, keyframe requests, state.
  void turn();
  RecorderMetrics metrics() const;
  // Prometheus text: ringcast_recordings_active, ringcast_recorder_tap_drops_total,
  // ringcast_recorder_bytes_written_total, ringcast_recordings_total{result}.
  void appendMetrics(std::string& out) const;

 private:
  struct File;
  struct Egress;
  struct Notices;

  void run();
  api::RecorderResult<api::EgressInfo> startLocked(const api::EgressRequest& request);
  std::pair<int, std::string> addFile(Egress& e, const TapRequest& tapRequest,
                                      const std::string& identity);
  void feed(File& f, int64_t nowUs);
  void endFile(Egress& e, File& f, const char* why);
  void beginEnding(Egress& e, const char* why);
  void updateState(Egress& e);
  void finishEgress(Egress& e, api::EgressStatus status, const std::string& error);
  void writeManifest(Egress& e);
  void handleNotices();
  void onSourceEvent(const RecordSourceEvent& ev);
  void emit(const char* event, const api::EgressInfo& info);
  void flushEvents();
  void forgetOldEgresses();

  RecordSource& source_;
  RecordingStore& store_;
  MuxerFactory muxers_;
  RecorderOptions options_;
  std::shared_ptr<Notices> notices_;  // outlives us in store/engine callbacks
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Egress>> egresses_;
  api::EgressEventSink sink_;
  std::vector<std::pair<const char*, api::EgressInfo>> pendingEvents_;  // sent after unlock
  uint64_t completed_ = 0, failed_ = 0, bytesOfForgotten_ = 0, dropsOfForgotten_ = 0;
  std::thread thread_;
};

// "EG_" + 12 random base62 characters (LiveKit's id shape).
std::string newEgressId();

}  // namespace rc::record
