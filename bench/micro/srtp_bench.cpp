// SRTP protect of one forwarded packet (libsrtp2 via crypto/srtp_session.h), for both
// profiles we negotiate. Each iteration protects a fresh copy with the next sequence
// number, as the fan-out does (libsrtp refuses to protect a sequence number twice).
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <cstring>

#include "bench/micro/bench_util.h"

namespace rc::bench {
namespace {

void protectLoop(benchmark::State& state, crypto::SrtpProfile profile) {
  auto srtp = testSrtpSession(profile);
  const size_t size = static_cast<size_t>(state.range(0));
  auto plain = rtpPacket(size, 0, 90000, 0x1234);
  std::vector<uint8_t> buf(size + crypto::SrtpSession::kMaxTrailer);
  uint16_t seq = 0;
  for (auto _ : state) {
    std::memcpy(buf.data(), plain.data(), size);
    buf[2] = uint8_t(seq >> 8);
    buf[3] = uint8_t(seq);
    ++seq;
    size_t len = size;
    bool ok = srtp->protectRtp(buf.data(), len, buf.size());
    benchmark::DoNotOptimize(ok);
    if (!ok) {
      state.SkipWithError("protect failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(size));
}

void BM_SrtpProtect_AeadAes128Gcm(benchmark::State& state) {
  protectLoop(state, crypto::SrtpProfile::AeadAes128Gcm);
}
void BM_SrtpProtect_Aes128CmSha1_80(benchmark::State& state) {
  protectLoop(state, crypto::SrtpProfile::Aes128CmSha1_80);
}
BENCHMARK(BM_SrtpProtect_AeadAes128Gcm)->Arg(100)->Arg(1200);
BENCHMARK(BM_SrtpProtect_Aes128CmSha1_80)->Arg(100)->Arg(1200);

// The cipher alone: AES-128-GCM with OpenSSL's EVP, one context kept across packets,
// only the 12-byte IV set per packet (RFC 7714 §8.1: AAD = the RTP header, 16-byte tag).
// The distance to BM_SrtpProtect_AeadAes128Gcm is libsrtp's per-packet overhead.
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
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(size));
}
BENCHMARK(BM_AesGcmFloor_OpenSsl)->Arg(1200);

}  // namespace
}  // namespace rc::bench
