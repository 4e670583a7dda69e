// One S3 REST request as a libcurl easy handle, signed by curl itself (CURLOPT_AWS_SIGV4,
// "aws:amz:<region>:s3"). The payload hash goes in x-amz-content-sha256 (AWS S3 API reference,
// "Signature Calculations for the Authorization Header"); curl 7.88 signs that header and
// the x-amz-security-token of temporary credentials. Query strings are written already in
// canonical order (curl 7.88 does not sort them) and "uploads" as "uploads=" (DESIGN.md).
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "api/recorder.h"
#include "record/store/credentials.h"

namespace rc::record {

// Where requests for one bucket go. Empty endpoint: AWS (virtual-hosted unless path style).
struct S3Target {
  std::string bucket, region, endpoint;
  bool pathStyle = false;
  static S3Target from(const api::S3Output& out);
  std::string region_() const { return region.empty() ? "us-east-1" : region; }
  // scheme://host[:port] and the URI-encoded path of `key` ("" = the bucket itself).
  std::string origin() const;
  std::string path(const std::string& key) const;
  std::string hostHeader() const;  // origin() without the scheme
};

class S3Request {
 public:
  // `query`: canonical query string without '?', values already URI-encoded.
  S3Request(const S3Target& target, const AwsCredentials& creds, const std::string& method,
            const std::string& key, const std::string& query, std::string body,
            const std::string& contentType = "");
  ~S3Request();
  S3Request(const S3Request&) = delete;
  S3Request& operator=(const S3Request&) = delete;

  CURL* handle() const { return curl_; }
  // After the transfer: the curl result, HTTP status, response body and ETag header.
  void setResult(CURLcode code);
  CURLcode curlCode() const { return code_; }
  long status() const;
  const std::string& response() const { return response_; }
  const std::string& etag() const { return etag_; }
  const std::string& body() const { return body_; }
  bool ok() const { return code_ == CURLE_OK && status() / 100 == 2; }
  // Blocking perform (control-plane calls: list).
  void perform();
  std::string describe() const;  // "HTTP 503 SlowDown" / "curl: Couldn't connect" (no secrets)

 private:
  static size_t onBody(char* data, size_t size, size_t n, void* self);
  static size_t onHeader(char* data, size_t size, size_t n, void* self);

  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
  std::string body_, response_, etag_, userpwd_, sigv4_;
  CURLcode code_ = CURLE_OK;
};

}  // namespace rc::record
