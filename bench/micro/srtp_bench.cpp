// SRTP protect and unprotect of one forwarded packet, for both profiles we negotiate, with
// our transforms (crypto::SrtpSession, what the daemon runs) and with libsrtp2
// (crypto::reference::LibSrtpSession, Debian's build over NSS) side by side.
// Protect: each iteration protects a fresh copy with the next sequence number, as the
// fan-out does. Unprotect: each iteration unprotects the next packet of a batch of
// kBatch packets protected beforehand by the peer (refilled with timing paused, so each
// sequence number is unprotected once, as the replay window requires).
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <cstring>

#include "bench/micro/bench_util.h"

namespace rc::bench {
namespace {

using crypto::SrtpProfile;
using LibSrtp = crypto::reference::LibSrtpSession;
using Ours = crypto::SrtpSession;

constexpr size_t kBatch = 256;

void setSeq(uint8_t* p, uint16_t seq) {
  p[2] = uint8_t(seq >> 8);
  p[3] = uint8_t(seq);
}

void finish(benchmark::State& state, size_t size) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(size));
}

template <typename Session, SrtpProfile kProfile>
void BM_SrtpProtect(benchmark::State& state) {
  auto srtp = testSrtpSession<Session>(kProfile);
  const size_t size = static_cast<size_t>(state.range(0));
  auto plain = rtpPacket(size, 0, 90000, 0x1234);
  std::vector<uint8_t> buf(size + crypto::SrtpSession::kMaxTrailer);
  uint16_t seq = 0;
  for (auto _ : state) {
    std::memcpy(buf.data(), plain.data(), size);
    setSeq(buf.data(), seq++);
    size_t len = size;
    bool ok = srtp->protectRtp(buf.data(), len, buf.size());
    benchmark::DoNotOptimize(ok);
    if (!ok) {
      state.SkipWithError("protect failed");
      break;
    }
  }
  finish(state, size);
}

template <typename Session>
struct ProtectedBatch {
  std::vector<std::vector<uint8_t>> packets;
  std::vector<size_t> lengths;
  ProtectedBatch(size_t size)
      : packets(kBatch, std::vector<uint8_t>(size + Ours::kMaxTrailer)), lengths(kBatch) {}
  bool refill(Session& sender, const std::vector<uint8_t>& plain, uint16_t& seq) {
    for (size_t i = 0; i < kBatch; ++i) {
      std::memcpy(packets[i].data(), plain.data(), plain.size());
      setSeq(packets[i].data(), seq++);
      lengths[i] = plain.size();
      if (!sender.protectRtp(packets[i].data(), lengths[i], packets[i].size())) return false;
    }
    return true;
  }
};

template <typename Session, SrtpProfile kProfile>
void BM_SrtpUnprotect(benchmark::State& state) {
  auto sender = testSrtpSession<Session>(kProfile, true);
  auto receiver = testSrtpSession<Session>(kProfile);
  const size_t size = static_cast<size_t>(state.range(0));
  auto plain = rtpPacket(size, 0, 90000, 0x1234);
  ProtectedBatch<Session> batch(size);
  std::vector<uint8_t> buf(size + Ours::kMaxTrailer);
  uint16_t seq = 0;
  size_t next = kBatch;
  for (auto _ : state) {
    if (next == kBatch) {
      state.PauseTiming();
      bool filled = batch.refill(*sender, plain, seq);
      state.ResumeTiming();
      if (!filled) {
        state.SkipWithError("protect failed");
        break;
      }
      next = 0;
    }
    size_t len = batch.lengths[next];
    std::memcpy(buf.data(), batch.packets[next].data(), len);
    ++next;
    bool ok = receiver->unprotectRtp(buf.data(), len);
    benchmark::DoNotOptimize(ok);
    if (!ok) {
      state.SkipWithError("unprotect failed");
      break;
    }
  }
  finish(state, size);
}

constexpr auto kGcm = SrtpProfile::AeadAes128Gcm;
constexpr auto kCm = SrtpProfile::Aes128CmSha1_80;

// The names before the comparison (BM_SrtpProtect_<profile>) stay those of the daemon's
// implementation, now ours.
void BM_SrtpProtect_AeadAes128Gcm(benchmark::State& s) {
  BM_SrtpProtect<Ours, kGcm>(s);
}
void BM_SrtpProtect_Aes128CmSha1_80(benchmark::State& s) {
  BM_SrtpProtect<Ours, kCm>(s);
}
void BM_SrtpProtect_LibSrtp_AeadAes128Gcm(benchmark::State& s) {
  BM_SrtpProtect<LibSrtp, kGcm>(s);
}
void BM_SrtpProtect_LibSrtp_Aes128CmSha1_80(benchmark::State& s) {
  BM_SrtpProtect<LibSrtp, kCm>(s);
}
void BM_SrtpUnprotect_AeadAes128Gcm(benchmark::State& s) {
  BM_SrtpUnprotect<Ours, kGcm>(s);
}
void BM_SrtpUnprotect_Aes128CmSha1_80(benchmark::State& s) {
  BM_SrtpUnprotect<Ours, kCm>(s);
}
void BM_SrtpUnprotect_LibSrtp_AeadAes128Gcm(benchmark::State& s) {
  BM_SrtpUnprotect<LibSrtp, kGcm>(s);
}
void BM_SrtpUnprotect_LibSrtp_Aes128CmSha1_80(benchmark::State& s) {
  BM_SrtpUnprotect<LibSrtp, kCm>(s);
}
BENCHMARK(BM_SrtpProtect_AeadAes128Gcm)->Arg(100)->Arg(1200);
BENCHMARK(BM_SrtpProtect_LibSrtp_AeadAes128Gcm)->Arg(100)->Arg(1200);
BENCHMARK(BM_SrtpProtect_Aes128CmSha1_80)->Arg(100)->Arg(1200);
BENCHMARK(BM_SrtpProtect_LibSrtp_Aes128CmSha1_80)->Arg(100)->Arg(1200);
BENCHMARK(BM_SrtpUnprotect_AeadAes128Gcm)->Arg(1200);
BENCHMARK(BM_SrtpUnprotect_LibSrtp_AeadAes128Gcm)->Arg(1200);
BENCHMARK(BM_SrtpUnprotect_Aes128CmSha1_80)->Arg(1200);
BENCHMARK(BM_SrtpUnprotect_LibSrtp_Aes128CmSha1_80)->Arg(1200);

// The cipher alone: AES-128-GCM with OpenSSL's EVP, one context kept across packets,
// only the 12-byte IV set per packet (RFC 7714 §8.1: AAD = the RTP header, 16-byte tag).
// The distance to BM_SrtpProtect_AeadAes128Gcm is the SRTP layer's per-packet overhead.
void BM_AesGcmFloor_OpenSsl(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  const uint8_t key[16] = {1, 2, 3};
  uint8_t iv[12] = {};
  auto plain = rtpPacket(size, 0, 90000, 0x1234);
  std::vector<uint8_t> out(size + 16);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, key, nullptr);
  for (auto _ : state) {
    ++iv[11];
    int n = 0;
    bool ok = EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, iv) == 1 &&
              EVP_EncryptUpdate(ctx, nullptr, &n, plain.data(), 12) == 1 &&
              EVP_EncryptUpdate(ctx, out.data() + 12, &n, plain.data() + 12,
                                static_cast<int>(size - 12)) == 1 &&
              EVP_EncryptFinal_ex(ctx, out.data() + 12 + n, &n) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + size) == 1;
    benchmark::DoNotOptimize(ok);
  }
  EVP_CIPHER_CTX_free(ctx);
  finish(state, size);
}
BENCHMARK(BM_AesGcmFloor_OpenSsl)->Arg(1200);

}  // namespace
}  // namespace rc::bench
