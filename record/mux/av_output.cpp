#include "record/mux/av_output.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
}

#include <cstring>
#include <stdexcept>

namespace rc::record {
namespace {

constexpr int kIoBufferSize = 64 * 1024;
constexpr AVRational kMicros = {1, 1000000};

std::string avError(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

AVCodecID codecId(MediaCodec c) {
  switch (c) {
    case MediaCodec::Opus:
      return AV_CODEC_ID_OPUS;
    case MediaCodec::VP8:
      return AV_CODEC_ID_VP8;
    case MediaCodec::VP9:
      return AV_CODEC_ID_VP9;
    case MediaCodec::H264:
      return AV_CODEC_ID_H264;
    case MediaCodec::AV1:
      return AV_CODEC_ID_AV1;
  }
  return AV_CODEC_ID_NONE;
}

}  // namespace

AvOutput::AvOutput(const std::string& container, int fragmentMs, FragmentSink& sink)
    : sink_(sink), container_(container), fragmentMs_(fragmentMs) {
  if (avformat_alloc_output_context2(&ctx_, nullptr, container.c_str(), nullptr) < 0 || !ctx_)
    throw std::runtime_error("libavformat has no '" + container + "' muxer");
  auto* buffer = static_cast<uint8_t*>(av_malloc(kIoBufferSize));
  ctx_->pb =
      avio_alloc_context(buffer, kIoBufferSize, 1, this, nullptr, &AvOutput::onWrite, nullptr);
  if (!ctx_->pb) {
    av_free(buffer);
    avformat_free_context(ctx_);
    throw std::runtime_error("avio_alloc_context failed");
  }
  ctx_->pb->seekable = 0;  // a stream: the muxer must never seek back
  ctx_->pb->write_data_type = [](void* opaque, uint8_t* buf, int size, AVIODataMarkerType type,
                                 int64_t time) {
    return onWriteTyped(opaque, buf, size, type, time);
  };
  ctx_->flags |= AVFMT_FLAG_FLUSH_PACKETS;
  ctx_->strict_std_compliance = FF_COMPLIANCE_EXPERIMENTAL;  // Opus in MP4 (ffmpeg 5.1)
}

AvOutput::~AvOutput() {
  if (!ctx_) return;
  if (ctx_->pb) {
    av_freep(&ctx_->pb->buffer);
    avio_context_free(&ctx_->pb);
  }
  avformat_free_context(ctx_);
}

int AvOutput::addStream(const StreamSetup& setup) {
  AVStream* st = avformat_new_stream(ctx_, nullptr);
  if (!st) throw std::runtime_error("avformat_new_stream failed");
  AVCodecParameters* par = st->codecpar;
  par->codec_id = codecId(setup.codec);
  if (setup.codec == MediaCodec::Opus) {
    par->codec_type = AVMEDIA_TYPE_AUDIO;
    par->sample_rate = 48000;
    av_channel_layout_default(&par->ch_layout, 2);  // RFC 7587 §7: opus/48000/2
  } else {
    par->codec_type = AVMEDIA_TYPE_VIDEO;
    par->width = setup.width;
    par->height = setup.height;
    if (setup.pixelFormat) par->format = *setup.pixelFormat;
    if (setup.profile) par->profile = *setup.profile;
  }
  if (!setup.extradata.empty()) {
    par->extradata =
        static_cast<uint8_t*>(av_mallocz(setup.extradata.size() + AV_INPUT_BUFFER_PADDING_SIZE));
    std::memcpy(par->extradata, setup.extradata.data(), setup.extradata.size());
    par->extradata_size = static_cast<int>(setup.extradata.size());
  }
  st->time_base =
      par->codec_type == AVMEDIA_TYPE_AUDIO ? AVRational{1, 48000} : AVRational{1, 90000};
  lastDts_.push_back(INT64_MIN);
  return st->index;
}

void AvOutput::writeHeader() {
  AVDictionary* options = nullptr;
  if (container_ == "mp4") {
    // Fragmented MP4: a moov without samples, then moof+mdat fragments starting at keyframes.
    av_dict_set(&options, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0);
    av_dict_set_int(&options, "frag_duration", int64_t{fragmentMs_} * 1000, 0);
  } else {
    av_dict_set_int(&options, "cluster_time_limit", fragmentMs_, 0);
  }
  int rc = avformat_write_header(ctx_, &options);
  av_dict_free(&options);
  if (rc < 0) throw std::runtime_error("avformat_write_header: " + avError(rc));
  avio_flush(ctx_->pb);
  cut();
  headerWritten_ = true;
}

bool AvOutput::writeFrame(int stream, std::span<const uint8_t> bytes, int64_t ptsUs,
                          bool keyframe) {
  if (!headerWritten_ || finished_ || bytes.empty()) return false;
  AVStream* st = ctx_->streams[stream];
  int64_t dts = av_rescale_q(ptsUs, kMicros, st->time_base);
  auto& last = lastDts_[static_cast<size_t>(stream)];
  if (last != INT64_MIN && dts <= last) dts = last + 1;  // strictly increasing per stream
  last = dts;
  AVPacket* pkt = av_packet_alloc();
  if (!pkt || av_new_packet(pkt, static_cast<int>(bytes.size())) < 0) {
    av_packet_free(&pkt);
    return false;
  }
  std::memcpy(pkt->data, bytes.data(), bytes.size());
  pkt->stream_index = stream;
  pkt->pts = pkt->dts = dts;
  if (keyframe) pkt->flags |= AV_PKT_FLAG_KEY;
  int rc = av_interleaved_write_frame(ctx_, pkt);
  av_packet_free(&pkt);
  // Both muxers build a fragment (moof+mdat) or cluster in memory and write it whole when it
  // closes; AVFMT_FLAG_FLUSH_PACKETS flushed it to onWrite already. So whatever this frame
  // made the muxer write ends at a fragment boundary: hand it to the sink now, not when the
  // next fragment starts (a kill -9 then loses at most the fragment being built).
  cut();
  return rc >= 0;
}

void AvOutput::finish() {
  if (finished_) return;
  finished_ = true;
  if (headerWritten_) av_write_trailer(ctx_);
  avio_flush(ctx_->pb);
  cut();
  sink_.finish();
}

void AvOutput::cut() {
  if (pending_.empty()) return;
  sink_.append(pending_, true);
  bytesWritten_ += pending_.size();
  pending_.clear();
}

int AvOutput::onWrite(void* opaque, uint8_t* buf, int size) {
  return onWriteTyped(opaque, buf, size, AVIO_DATA_MARKER_UNKNOWN, 0);
}

// A fragment or cluster starts with this chunk: the bytes before it are complete.
int AvOutput::onWriteTyped(void* opaque, uint8_t* buf, int size, int type, int64_t) {
  auto* self = static_cast<AvOutput*>(opaque);
  if (type == AVIO_DATA_MARKER_SYNC_POINT || type == AVIO_DATA_MARKER_BOUNDARY_POINT ||
      type == AVIO_DATA_MARKER_TRAILER)
    self->cut();
  self->pending_.insert(self->pending_.end(), buf, buf + size);
  return size;
}

}  // namespace rc::record
