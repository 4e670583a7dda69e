// SigV4 pieces curl cannot do for us. Requests are signed by libcurl (CURLOPT_AWS_SIGV4), but
// curl has no presigning, so presigned GET URLs (AWS S3 API reference, "Authenticating
// Requests: Using Query Parameters (AWS Signature Version 4)") are built here with OpenSSL HMAC.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rc::record::sigv4 {

std::string sha256Hex(std::string_view data);
// RFC 3986 unreserved characters stay, everything else is %XX (upper-case hex), as SigV4's
// "UriEncode" requires; '/' is kept when `keepSlash` (object key paths).
std::string uriEncode(std::string_view text, bool keepSlash);
// "20130524T000000Z" for a Unix time.
std::string amzDate(int64_t unixSec);

struct PresignInput {
  std::string method = "GET";
  std::string host;  // as sent in the Host header (with ":port" when not default)
  std::string path;  // already URI-encoded, starts with '/'
  std::string region, accessKey, secret, sessionToken;
  int64_t nowUnix = 0;
  int expiresSec = 3600;  // 1..604800 (seven days), per the AWS reference
};
// The query string (without '?') carrying X-Amz-Algorithm ... X-Amz-Signature.
std::string presignQuery(const PresignInput& in);

}  // namespace rc::record::sigv4
