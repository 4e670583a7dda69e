// Starts tests/e2e/lib/s3_peer.mjs (s3rver and optionally a fake IMDSv2, both on 127.0.0.1)
// as a child process and stops it; restartable on the same port and data folder.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

namespace rc::record::test {

class S3Peer {
 public:
  S3Peer(std::string dataDir, bool withImds = false, int imdsExpirySec = 3600)
      : dataDir_(std::move(dataDir)), withImds_(withImds), imdsExpiry_(imdsExpirySec) {}
  ~S3Peer() { stop(); }

  // Returns false when the peer did not come up.
  bool start() {
    int out[2], in[2];
    if (pipe(out) != 0 || pipe(in) != 0) return false;
    std::vector<std::string> args = {
        nodeBinary(), RC_S3_PEER_SCRIPT, "--port", std::to_string(s3Port_), "--dir", dataDir_};
    if (withImds_) {
      args.insert(args.end(), {"--imds-port", std::to_string(imdsPort_), "--imds-expiry-sec",
                               std::to_string(imdsExpiry_)});
    }
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      dup2(in[0], 0);
      close(out[0]);
      close(in[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execvp(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    close(in[0]);
    stdin_ = in[1];
    stdout_ = fdopen(out[0], "r");
    return readPorts();
  }

  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (stdout_) fclose(stdout_);
    if (stdin_ >= 0) close(stdin_);
    stdout_ = nullptr;
    stdin_ = -1;
  }

  int s3Port() const { return s3Port_; }
  int imdsPort() const { return imdsPort_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(s3Port_); }

  static std::string nodeBinary() {
    const char* n = getenv("RC_NODE");
    return n && *n ? n : "node";
  }

 private:
  bool readPorts() {
    char line[256];
    bool s3 = false, imds = !withImds_;
    while ((!s3 || !imds) && fgets(line, sizeof line, stdout_)) {
      int port = 0;
      if (sscanf(line, "S3 %d", &port) == 1) s3Port_ = port, s3 = true;
      if (sscanf(line, "IMDS %d", &port) == 1) imdsPort_ = port, imds = true;
    }
    return s3 && imds;
  }

  std::string dataDir_;
  bool withImds_;
  int imdsExpiry_;
  int s3Port_ = 0, imdsPort_ = 0;
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
  int stdin_ = -1;
};

}  // namespace rc::record::test
