#include "record/daemon_recorder.h"

#include <spdlog/spdlog.h>

#include "api/http_metrics.h"
#include "record/mux/recording_muxer.h"
#include "record/recorder.h"
#include "record/store/recording_store.h"
#include "record/store/store_config.h"

namespace rc::record {
namespace {

// The storage side (spool, uploads) as Prometheus series: a full disk or a quota shows up in
// spool_errors, an unreachable S3 in pending_bytes and upload_retries.
void appendStoreMetrics(const StoreStats& s, std::string& out) {
  struct Series {
    const char* name;
    const char* type;
    const char* help;
    uint64_t value;
  };
  const Series series[] = {
      {"spooled_bytes_total", "counter", "Bytes appended to the local spool.", s.bytesSpooled},
      {"uploaded_bytes_total", "counter", "Bytes uploaded to S3 (parts and objects).",
       s.bytesUploaded},
      {"upload_parts_total", "counter", "Multipart parts (and single objects) uploaded.",
       s.partsUploaded},
      {"upload_retries_total", "counter", "Upload requests retried after an error.",
       s.uploadRetries},
      {"upload_failures_total", "counter", "Recordings whose upload failed for good.",
       s.uploadFailures},
      {"recovered_total", "counter", "Recordings finished from the spool after a crash.",
       s.recovered},
      {"spool_errors_total", "counter", "Spool write errors (disk full, quota, I/O).",
       s.spoolErrors},
      {"pending_bytes", "gauge", "Spooled bytes not yet uploaded.", s.pendingBytes}};
  for (const auto& m : series) {
    std::string name = std::string("ringcast_recorder_") + m.name;
    api::prom::header(out, name, m.type, m.help);
    api::prom::sample(out, name, "", m.value);
  }
}

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
  void appendMetrics(std::string& out) const {
    service_.appendMetrics(out);
    appendStoreMetrics(store_->stats(), out);
  }

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
