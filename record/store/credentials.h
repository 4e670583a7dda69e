// Where S3 keys come from, in order: the output's static keys (config or Egress S3Upload),
// the standard AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN environment
// variables, then the EC2 instance role through IMDSv2 (EC2 User Guide, "Use IMDSv2";
// "Retrieve security credentials from instance metadata"). Role credentials are cached and
// fetched again before their Expiration. Secrets are never logged.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "api/recorder.h"

namespace rc::record {

struct AwsCredentials {
  std::string accessKey, secret, sessionToken;
  int64_t expiresUnix = 0;  // 0: does not expire
};

// Parses the IMDS role document ({"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}).
std::optional<AwsCredentials> parseImdsCredentials(const std::string& json);

class CredentialProvider {
 public:
  using EnvLookup = std::function<const char*(const char*)>;
  // `env` (default std::getenv) supplies the AWS_* variables and the IMDS endpoint
  // (AWS_EC2_METADATA_SERVICE_ENDPOINT, else http://169.254.169.254).
  explicit CredentialProvider(EnvLookup env = nullptr);
  // Keys for `out`: its own static keys when set, else environment, else the instance role.
  // nullopt when none can be had (the caller retries later).
  std::optional<AwsCredentials> get(const api::S3Output& out);
  uint64_t imdsFetches() const;
  // Role credentials are fetched again this long before Expiration (default 5 min).
  void setRefreshMarginSec(int sec) { refreshMarginSec_ = sec; }

 private:
  std::optional<AwsCredentials> fromImds();
  const char* env(const char* name) const;

  EnvLookup env_;
  std::string imdsEndpoint_;
  mutable std::mutex mutex_;
  std::optional<AwsCredentials> cached_;
  uint64_t imdsFetches_ = 0;
  int refreshMarginSec_ = 300;
};

}  // namespace rc::record
