// RecorderService internals shared by recorder.cpp and recorder_loop.cpp.
#pragma once

#include <condition_variable>
#include <mutex>
#include <tuple>

#include "record/recorder.h"

namespace rc::record {

inline bool isFinal(api::EgressStatus s) {
  return s == api::EgressStatus::Complete || s == api::EgressStatus::Failed ||
         s == api::EgressStatus::Aborted || s == api::EgressStatus::LimitReached;
}

inline const char* statusName(api::EgressStatus s) {
  switch (s) {
    case api::EgressStatus::Starting:
      return "starting";
    case api::EgressStatus::Active:
      return "active";
    case api::EgressStatus::Ending:
      return "ending";
    case api::EgressStatus::Complete:
      return "complete";
    case api::EgressStatus::Failed:
      return "failed";
    case api::EgressStatus::Aborted:
      return "aborted";
    case api::EgressStatus::LimitReached:
      return "limit reached";
  }
  return "unknown";
}

// One recorded file: one participant (or the tracks of a track/composite egress).
struct RecorderService::File {
  enum class State { Recording, Uploading, Done };
  State state = State::Recording;
  std::string identity, key;
  uint64_t handle = 0;  // the engine's tap attachment
  std::vector<TrackSpec> tracks;
  std::vector<std::shared_ptr<RecordTap>> taps;  // released once the detach is acknowledged
  std::unique_ptr<FragmentSink> sink;
  std::unique_ptr<RecordingMuxer> muxer;  // destroyed before sink (it writes into it)
  MuxStats stats;                         // the muxer's, refreshed every turn
  uint64_t tapDrops = 0;
  int64_t startedNs = 0;
  bool ok = false;
  std::string error;
  api::RecordedFile result;
  bool detached = false;
};

struct RecorderService::Egress {
  api::EgressInfo info;
  std::vector<std::unique_ptr<File>> files;
  bool room = false, ending = false;
  int64_t requestedNs = 0;
  enum class Manifest { None, Uploading, Done } manifest = Manifest::None;
  std::string manifestError;
  uint64_t tapDrops() const {
    uint64_t n = 0;
    for (const auto& f : files) {
      n += f->tapDrops;
      for (const auto& t : f->taps) n += t->drops();
    }
    return n;
  }
  uint64_t bytesWritten() const {
    uint64_t n = 0;
    for (const auto& f : files) n += f->stats.bytesWritten;
    return n;
  }
};

// What other threads tell the loop: uploads done (store thread), engine notices
// (engine housekeeping), detaches acknowledged (a worker). Shared with their callbacks
// so that a late callback after the recorder is gone is harmless.
struct RecorderService::Notices {
  std::mutex m;
  std::condition_variable cv;
  bool stopping = false, pending = false;
  std::vector<std::tuple<std::string, std::string, UploadResult>> uploads;  // egress, key
  std::vector<RecordSourceEvent> events;
  std::vector<uint64_t> detached;

  template <class F>
  void with(F&& f) {
    {
      std::lock_guard lock(m);
      f();
      pending = true;
    }
    cv.notify_one();
  }
  void push(const RecordSourceEvent& ev) {
    with([&] { events.push_back(ev); });
  }
  void push(const std::string& egress, const std::string& key, const UploadResult& u) {
    with([&] { uploads.emplace_back(egress, key, u); });
  }
  void acknowledge(uint64_t handle) {
    with([&] { detached.push_back(handle); });
  }
  void wakeUp() {
    with([] {});
  }
  void stop() {
    with([&] { stopping = true; });
  }
};

}  // namespace rc::record
