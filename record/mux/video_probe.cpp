#include "record/mux/video_probe.h"

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <memory>

namespace rc::record {
namespace {

struct CodecContextDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
using CodecContext = std::unique_ptr<AVCodecContext, CodecContextDeleter>;

std::optional<VideoParams> valid(VideoParams p) {
  if (p.width <= 0 || p.height <= 0) return std::nullopt;
  return p;
}

}  // namespace

std::optional<VideoParams> parseVideoParams(AVCodecID codec, std::span<const uint8_t> au) {
  std::unique_ptr<AVCodecParserContext, void (*)(AVCodecParserContext*)> parser(
      av_parser_init(codec), av_parser_close);
  CodecContext ctx(avcodec_alloc_context3(nullptr));
  if (!parser || !ctx || au.empty()) return std::nullopt;
  ctx->codec_id = codec;
  parser->flags |= PARSER_FLAG_COMPLETE_FRAMES;
  uint8_t* out = nullptr;
  int outSize = 0;
  av_parser_parse2(parser.get(), ctx.get(), &out, &outSize, au.data(), static_cast<int>(au.size()),
                   AV_NOPTS_VALUE, AV_NOPTS_VALUE, 0);
  VideoParams p;
  p.width = parser->width > 0 ? parser->width : ctx->width;
  p.height = parser->height > 0 ? parser->height : ctx->height;
  if (parser->format >= 0) p.pixelFormat = parser->format;
  if (ctx->profile != FF_PROFILE_UNKNOWN) p.profile = ctx->profile;
  return valid(p);
}

std::optional<VideoParams> decodeVideoParams(AVCodecID codec, std::span<const uint8_t> au) {
  const AVCodec* decoder = avcodec_find_decoder(codec);
  CodecContext ctx(avcodec_alloc_context3(decoder));
  std::unique_ptr<AVFrame, FrameDeleter> frame(av_frame_alloc());
  std::unique_ptr<AVPacket, PacketDeleter> pkt(av_packet_alloc());
  if (!decoder || !ctx || !frame || !pkt || au.empty()) return std::nullopt;
  ctx->thread_count = 1;  // the recorder thread; no decoder threads for one frame
  if (avcodec_open2(ctx.get(), decoder, nullptr) < 0) return std::nullopt;
  if (av_new_packet(pkt.get(), static_cast<int>(au.size())) < 0) return std::nullopt;
  std::copy(au.begin(), au.end(), pkt->data);
  VideoParams p;
  if (avcodec_send_packet(ctx.get(), pkt.get()) < 0) return std::nullopt;
  avcodec_send_packet(ctx.get(), nullptr);  // drain: a superframe may hold several frames
  while (avcodec_receive_frame(ctx.get(), frame.get()) >= 0) {
    p.width = frame->width;
    p.height = frame->height;
    p.pixelFormat = frame->format;
  }
  if (ctx->profile != FF_PROFILE_UNKNOWN) p.profile = ctx->profile;
  return valid(p);
}

}  // namespace rc::record
