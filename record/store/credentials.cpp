#include "record/store/credentials.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>

#include "record/store/s3_xml.h"

namespace rc::record {
namespace {

size_t collect(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() + size * n > (1u << 20)) return 0;  // IMDS documents are tiny
  out->append(data, size * n);
  return size * n;
}

// One short blocking IMDS request; returns the body on HTTP 200.
std::optional<std::string> imdsRequest(const std::string& url, bool put, const std::string& hdr) {
  CURL* curl = curl_easy_init();
  if (!curl) return std::nullopt;
  std::string body;
  curl_slist* headers = curl_slist_append(nullptr, hdr.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 2000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");  // IMDS is link-local: never via a proxy
  if (put) curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK || status != 200) return std::nullopt;
  return body;
}

}  // namespace

std::optional<AwsCredentials> parseImdsCredentials(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  auto str = [&](const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  AwsCredentials c{str("AccessKeyId"), str("SecretAccessKey"), str("Token"), 0};
  if (c.accessKey.empty() || c.secret.empty()) return std::nullopt;
  std::string exp = str("Expiration");
  if (!exp.empty()) c.expiresUnix = s3xml::parseIsoTimeMs(exp) / 1000;
  return c;
}

CredentialProvider::CredentialProvider(EnvLookup env) : env_(std::move(env)) {
  const char* e = this->env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  imdsEndpoint_ = e && *e ? e : "http://169.254.169.254";
  while (!imdsEndpoint_.empty() && imdsEndpoint_.back() == '/') imdsEndpoint_.pop_back();
}

const char* CredentialProvider::env(const char* name) const {
  return env_ ? env_(name) : std::getenv(name);
}

std::optional<AwsCredentials> CredentialProvider::get(const api::S3Output& out) {
  if (!out.accessKey.empty() && !out.secret.empty()) {
    return AwsCredentials{out.accessKey, out.secret, out.sessionToken, 0};
  }
  const char* ak = env("AWS_ACCESS_KEY_ID");
  const char* sk = env("AWS_SECRET_ACCESS_KEY");
  if (ak && *ak && sk && *sk) {
    const char* token = env("AWS_SESSION_TOKEN");
    return AwsCredentials{ak, sk, token ? token : "", 0};
  }
  const char* disabled = env("AWS_EC2_METADATA_DISABLED");
  if (disabled && std::string(disabled) == "true") return std::nullopt;
  std::lock_guard lock(mutex_);
  int64_t now = time(nullptr);
  if (cached_ && (cached_->expiresUnix == 0 || now < cached_->expiresUnix - refreshMarginSec_)) {
    return cached_;
  }
  if (auto fresh = fromImds()) cached_ = fresh;
  // Keep using still-valid credentials when a refresh fails.
  if (cached_ && (cached_->expiresUnix == 0 || now < cached_->expiresUnix)) return cached_;
  return std::nullopt;
}

// IMDSv2: PUT /latest/api/token (TTL header), then GETs carrying the token.
std::optional<AwsCredentials> CredentialProvider::fromImds() {
  ++imdsFetches_;
  auto token = imdsRequest(imdsEndpoint_ + "/latest/api/token", true,
                           "X-aws-ec2-metadata-token-ttl-seconds: 21600");
  if (!token) {
    spdlog::warn("recorder: no IMDSv2 token from {}", imdsEndpoint_);
    return std::nullopt;
  }
  const std::string auth = "X-aws-ec2-metadata-token: " + *token;
  const std::string base = imdsEndpoint_ + "/latest/meta-data/iam/security-credentials/";
  auto roles = imdsRequest(base, false, auth);
  if (!roles || roles->empty()) return std::nullopt;
  std::string role = roles->substr(0, roles->find('\n'));
  auto doc = imdsRequest(base + role, false, auth);
  auto creds = doc ? parseImdsCredentials(*doc) : std::nullopt;
  if (creds) spdlog::info("recorder: credentials of instance role '{}' loaded", role);
  return creds;
}

uint64_t CredentialProvider::imdsFetches() const {
  std::lock_guard lock(mutex_);
  return imdsFetches_;
}

}  // namespace rc::record
