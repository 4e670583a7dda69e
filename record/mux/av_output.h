// One recording file written by libavformat into a FragmentSink through a custom
// AVIOContext (no temporary files). Cut points, where everything before is complete and goes
// to the sink with cutPoint = true: both muxers (fragmented MP4, Matroska/WebM) build a
// fragment or cluster in memory and write it whole when it closes (libavformat marks where an
// MP4 fragment starts, SYNC_POINT/BOUNDARY_POINT; Matroska marks only a flush point, which
// never reaches the write callback). The output is flushed after every packet
// (AVFMT_FLAG_FLUSH_PACKETS), so the bytes one writeFrame() produced are whole fragments and
// are cut at once: a kill -9 loses at most the fragment being built.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "record/fragment_sink.h"
#include "record/mux/track_spec.h"

struct AVFormatContext;
struct AVStream;

namespace rc::record {

struct StreamSetup {
  MediaCodec codec;
  int width = 0, height = 0;  // video
  // Opus: OpusHead; H264: Annex B SPS + PPS; AV1: the sequence header OBU.
  std::vector<uint8_t> extradata;
  std::optional<int> pixelFormat, profile;  // video, when known (VP9's vpcC needs them)
};

class AvOutput {
 public:
  // `container`: "webm" or "mp4". Throws std::runtime_error when libavformat refuses.
  AvOutput(const std::string& container, int fragmentMs, FragmentSink& sink);
  ~AvOutput();
  AvOutput(const AvOutput&) = delete;
  AvOutput& operator=(const AvOutput&) = delete;

  int addStream(const StreamSetup& setup);  // before writeHeader
  void writeHeader();
  // Writes one access unit; pts in microseconds from the recording's start, increasing per
  // stream. Returns false when libavformat refused it (counted by the caller).
  bool writeFrame(int stream, std::span<const uint8_t> bytes, int64_t ptsUs, bool keyframe);
  void finish();  // trailer, last cut point, sink.finish()
  bool headerWritten() const noexcept { return headerWritten_; }
  uint64_t bytesWritten() const noexcept { return bytesWritten_; }

 private:
  static int onWrite(void* opaque, uint8_t* buf, int size);
  static int onWriteTyped(void* opaque, uint8_t* buf, int size, int type, int64_t time);
  void cut();

  FragmentSink& sink_;
  std::string container_;
  int fragmentMs_;
  AVFormatContext* ctx_ = nullptr;
  std::vector<uint8_t> pending_;  // bytes since the last cut point
  std::vector<int64_t> lastDts_;
  bool headerWritten_ = false, finished_ = false;
  uint64_t bytesWritten_ = 0;
};

}  // namespace rc::record
