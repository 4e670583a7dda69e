#include "record/daemon_recorder.h"

#include <spdlog/spdlog.h>

#include "record/mux/recording_muxer.h"
#include "record/recorder.h"
#include "record/store/recording_store.h"
#include "record/store/store_config.h"

namespace rc::record {
namespace {

// Owns the store for as long as the service that writes into it: the service (declared
// last) is destroyed first and finishes its files into a store that still exists.
class DaemonRecorder final : public api::Recorder {
 public:
  DaemonRecorder(std::unique_ptr<RecordingStore> store, RecordSource& source)
      : store_(std::move(store)), service_(source, *store_, muxers()) {}

  api::RecorderResult<api::EgressInfo> start(const api::EgressRequest& r) override {
    return service_.start(r);
  }
  api::RecorderResult<api::EgressInfo> stop(const std::string& id) override {
    return service_.stop(id);
  }
  std::vector<api::EgressInfo> list(const std::string& room, const std::string& id,
                                    bool activeOnly) override {
    return service_.list(room, id, activeOnly);
  }
  api::RecorderResult<std::vector<api::RecordingListing>> listRecordings(const std::string& room,
                                                                         int ttlSec) override {
    return service_.listRecordings(room, ttlSec);
  }
  void setEventSink(api::EgressEventSink sink) override { service_.setEventSink(std::move(sink)); }
  void appendMetrics(std::string& out) const { service_.appendMetrics(out); }

 private:
  static MuxerFactory muxers() {
    MuxerFactory f;
    f.make = [](std::vector<TrackSpec> tracks, FragmentSink& sink) {
      return makeRecordingMuxer(std::move(tracks), sink);
    };
    f.extension = containerExtension;
    f.mimeType = containerMimeType;
    return f;
  }

  std::unique_ptr<RecordingStore> store_;
  RecorderService service_;
};

}  // namespace

api::RecorderBundle makeDaemonRecorder(const api::Config& config, api::MediaEngine& engine) {
  auto* source = dynamic_cast<RecordSource*>(&engine);
  if (!source) return {};
  auto store = makeRecordingStore(storeConfigFrom(config));
  if (size_t recovered = store->recover())
    spdlog::info("recorder: finished {} recording(s) left in the spool", recovered);
  auto recorder = std::make_unique<DaemonRecorder>(std::move(store), *source);
  auto* raw = recorder.get();
  api::RecorderBundle bundle;
  bundle.appendMetrics = [raw](std::string& out) { raw->appendMetrics(out); };
  bundle.recorder = std::move(recorder);
  return bundle;
}

}  // namespace rc::record
