#include "record/store/s3_request.h"

#include <strings.h>

#include "record/store/s3_xml.h"
#include "record/store/sigv4.h"

namespace rc::record {

S3Target S3Target::from(const api::S3Output& out) {
  return S3Target{out.bucket, out.region, out.endpoint, out.forcePathStyle};
}

std::string S3Target::origin() const {
  std::string ep = endpoint;
  while (!ep.empty() && ep.back() == '/') ep.pop_back();
  if (ep.empty()) {
    // AWS S3 User Guide, "Virtual hosting of buckets": bucket.s3.region.amazonaws.com.
    std::string host = "s3." + region_() + ".amazonaws.com";
    return "https://" + (pathStyle ? host : bucket + "." + host);
  }
  if (ep.find("://") == std::string::npos) ep = "https://" + ep;
  if (pathStyle) return ep;
  size_t hostStart = ep.find("://") + 3;
  return ep.substr(0, hostStart) + bucket + "." + ep.substr(hostStart);
}

std::string S3Target::path(const std::string& key) const {
  // Bucket-level requests (key "") go to "/bucket" in path style: s3rver canonicalizes the
  // URI without the trailing slash, and AWS accepts both.
  std::string prefix = pathStyle ? "/" + sigv4::uriEncode(bucket, false) : "";
  if (key.empty() && pathStyle) return prefix;
  return prefix + "/" + sigv4::uriEncode(key, true);
}

std::string S3Target::hostHeader() const {
  std::string o = origin();
  return o.substr(o.find("://") + 3);
}

S3Request::S3Request(const S3Target& target, const AwsCredentials& creds, const std::string& method,
                     const std::string& key, const std::string& query, std::string body,
                     const std::string& contentType)
    : curl_(curl_easy_init()), body_(std::move(body)) {
  std::string url = target.origin() + target.path(key) + (query.empty() ? "" : "?" + query);
  sigv4_ = "aws:amz:" + target.region_() + ":s3";
  userpwd_ = creds.accessKey + ":" + creds.secret;
  headers_ =
      curl_slist_append(headers_, ("x-amz-content-sha256: " + sigv4::sha256Hex(body_)).c_str());
  if (!creds.sessionToken.empty()) {
    headers_ = curl_slist_append(headers_, ("x-amz-security-token: " + creds.sessionToken).c_str());
  }
  // curl 7.88 signs even the empty "Header:" lines that only remove a default header (so
  // "Expect:" or "Content-Type:" break the signature): bodies always carry a real type.
  if (method != "GET") {
    std::string type = contentType.empty() ? "application/octet-stream" : contentType;
    headers_ = curl_slist_append(headers_, ("Content-Type: " + type).c_str());
  }
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_AWS_SIGV4, sigv4_.c_str());
  curl_easy_setopt(curl_, CURLOPT_USERPWD, userpwd_.c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  // A stalled transfer (under 1 KB/s for 30 s) fails and is retried, instead of hanging.
  curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME, 30L);
  if (method == "GET") {
    curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body_.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_.size()));
  }
  curl_easy_setopt(curl_, CURLOPT_PRIVATE, this);
}

S3Request::~S3Request() {
  curl_easy_cleanup(curl_);
  curl_slist_free_all(headers_);
}

size_t S3Request::onBody(char* data, size_t size, size_t n, void* self) {
  auto* r = static_cast<S3Request*>(self);
  if (r->response_.size() + size * n > (16u << 20)) return 0;
  r->response_.append(data, size * n);
  return size * n;
}

size_t S3Request::onHeader(char* data, size_t size, size_t n, void* self) {
  auto* r = static_cast<S3Request*>(self);
  std::string line(data, size * n);
  if (line.size() > 5 && strncasecmp(line.c_str(), "etag:", 5) == 0) {
    size_t b = line.find_first_not_of(" \t", 5);
    size_t e = line.find_last_not_of(" \t\r\n");
    r->etag_ = b == std::string::npos ? "" : line.substr(b, e - b + 1);
  }
  return size * n;
}

void S3Request::setResult(CURLcode code) {
  code_ = code;
}

void S3Request::perform() {
  code_ = curl_easy_perform(curl_);
}

long S3Request::status() const {
  long s = 0;
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &s);
  return s;
}

std::string S3Request::describe() const {
  if (code_ != CURLE_OK) return std::string("curl: ") + curl_easy_strerror(code_);
  std::string code = s3xml::parseErrorCode(response_);
  return "HTTP " + std::to_string(status()) + (code.empty() ? "" : " " + code);
}

}  // namespace rc::record
