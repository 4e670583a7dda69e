#include "record/store/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <ctime>
#include <map>

namespace rc::record::sigv4 {
namespace {

std::string hex(const unsigned char* data, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 15]);
  }
  return out;
}

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

// "Calculating a signature": kSecret -> kDate -> kRegion -> kService -> kSigning.
std::string signingKey(const PresignInput& in, const std::string& date) {
  std::string k = hmac("AWS4" + in.secret, date);
  k = hmac(k, in.region);
  k = hmac(k, "s3");
  return hmac(k, "aws4_request");
}

}  // namespace

std::string sha256Hex(std::string_view data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  return hex(md, sizeof md);
}

std::string uriEncode(std::string_view text, bool keepSlash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved || (keepSlash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string amzDate(int64_t unixSec) {
  time_t t = static_cast<time_t>(unixSec);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string presignQuery(const PresignInput& in) {
  const std::string stamp = amzDate(in.nowUnix);
  const std::string date = stamp.substr(0, 8);
  const std::string scope = date + "/" + in.region + "/s3/aws4_request";
  // Canonical query: parameters sorted by name, names and values URI-encoded.
  std::map<std::string, std::string> query = {
      {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
      {"X-Amz-Credential", in.accessKey + "/" + scope},
      {"X-Amz-Date", stamp},
      {"X-Amz-Expires", std::to_string(std::clamp(in.expiresSec, 1, 604800))},
      {"X-Amz-SignedHeaders", "host"}};
  if (!in.sessionToken.empty()) query["X-Amz-Security-Token"] = in.sessionToken;
  std::string canonicalQuery;
  for (const auto& [k, v] : query) {
    if (!canonicalQuery.empty()) canonicalQuery += '&';
    canonicalQuery += uriEncode(k, false) + "=" + uriEncode(v, false);
  }
  const std::string canonicalRequest = in.method + "\n" + in.path + "\n" + canonicalQuery +
                                       "\nhost:" + in.host + "\n\nhost\nUNSIGNED-PAYLOAD";
  const std::string toSign =
      "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
  const std::string sig = hmac(signingKey(in, date), toSign);
  return canonicalQuery +
         "&X-Amz-Signature=" + hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
}

}  // namespace rc::record::sigv4
