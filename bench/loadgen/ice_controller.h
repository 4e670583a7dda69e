// The controlling side of ICE against one server candidate (RFC 8445 §7.2): Binding requests
// with USERNAME, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY and FINGERPRINT,
// built and checked with libnice's STUN codec. Also answers the server's own checks (full ICE
// servers such as Janus check us back, RFC 8445 §7.3).
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

struct stun_agent_t;

namespace rc::bench {

class IceController {
 public:
  // local = our ufrag/pwd (answers to the server's checks), remote = the server's.
  IceController(std::string localUfrag, std::string localPwd, std::string remoteUfrag,
                std::string remotePwd);
  ~IceController();
  IceController(const IceController&) = delete;
  IceController& operator=(const IceController&) = delete;

  // Writes a Binding request into `out`; returns its length (0 on failure). The previous
  // unanswered request, if any, is forgotten. `nominate` adds USE-CANDIDATE (RFC 8445 §8.1.1).
  size_t buildCheck(std::span<uint8_t> out, bool nominate) noexcept;
  // Writes the unanswered request again, byte for byte (RFC 5389 §7.2.1: a retransmission
  // keeps the transaction ID, so a response to any copy completes it, however late). Returns
  // 0 when no request is pending.
  size_t retransmitCheck(std::span<uint8_t> out) const noexcept;

  enum class Outcome { Success, Failure, Reply, Ignored };
  // Handles one STUN datagram. Success: a response to our check; Reply: the server's request
  // was answered into `reply` (`replyLength` bytes, send it back); Failure: an error response.
  Outcome handle(std::span<uint8_t> datagram, const sockaddr_storage& from, socklen_t fromLength,
                 std::span<uint8_t> reply, size_t& replyLength) noexcept;

 private:
  std::unique_ptr<stun_agent_t> agent_;
  std::string localUfrag_, localPwd_, username_, remotePwd_;
  uint64_t tieBreaker_;
  uint8_t pendingId_[16] = {};
  bool pending_ = false;
  std::array<uint8_t, 512> pendingCheck_{};
  size_t pendingCheckLength_ = 0;
};

}  // namespace rc::bench
