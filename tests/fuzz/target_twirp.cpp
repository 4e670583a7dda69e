// Fuzz target "twirp": the first byte picks a RoomService method or app API route, the rest
// is the JSON request body, dispatched through the router with a valid all-grants token to a
// fake engine (api/room_service.cpp, api/app_api.cpp, api/livekit_json.cpp). The same body is
// also read through every lkjson::JsonBody getter. Any exception other than the documented
// BodyError, or a 500, is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <spdlog/spdlog.h>

#include "../unit/api/fake_media_engine.h"
#include "api/livekit_json.h"
#include "api/whip_handlers.h"

namespace {

using namespace rc::api;

constexpr int64_t kFuzzNow = 1'700'000'000;
const char* const kTargets[] = {"/twirp/livekit.RoomService/CreateRoom",
                                "/twirp/livekit.RoomService/ListRooms",
                                "/twirp/livekit.RoomService/DeleteRoom",
                                "/twirp/livekit.RoomService/ListParticipants",
                                "/twirp/livekit.RoomService/GetParticipant",
                                "/twirp/livekit.RoomService/RemoveParticipant",
                                "/twirp/livekit.RoomService/MutePublishedTrack",
                                "/twirp/livekit.RoomService/UpdateParticipant",
                                "/twirp/livekit.RoomService/UpdateRoomMetadata",
                                "/get-token",
                                "/start-recording",
                                "/stop-recording",
                                "/list-recordings"};

void readEverything(const std::string& body) {
  try {
    auto b = lkjson::JsonBody::parse(body);
    (void)b.optString("name", "name");
    (void)b.optUint32("emptyTimeout", "empty_timeout");
    (void)b.optInt64("ttl", "ttl");
    (void)b.optBool("muted", "muted");
    (void)b.stringList("names", "names");
    if (auto p = b.optObject("permission", "permission")) (void)lkjson::parsePermission(*p);
  } catch (const lkjson::BodyError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static bool quiet = (spdlog::set_level(spdlog::level::off), true);
  (void)quiet;
  if (size == 0) return 0;
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  readEverything(body);

  static Config config = [] {
    Config c;
    c.keys = {{"APIk", "sec"}};
    return c;
  }();
  static TokenVerifier verifier(config.keys);
  static std::string auth = [] {
    AccessClaims c;
    c.identity = "fuzz";
    c.video.room = "r1";
    c.video.roomAdmin = c.video.roomCreate = c.video.roomList = c.video.roomRecord = true;
    return "Bearer " + issueToken("APIk", "sec", c, 600, kFuzzNow);
  }();
  testing::FakeMediaEngine engine;
  engine.rooms["r1"] = RoomInfo{"RM_1", "r1", "", 300, 0, 1, 0, 0};
  engine.participants["r1"] = {ParticipantInfo{}};
  engine.participants["r1"][0].identity = "ann";
  Router router;
  addAllRoutes(router, ApiContext{engine, verifier, config, [] { return kFuzzNow; }});
  HttpRequest req;
  req.method = "POST";
  req.target = kTargets[data[0] % std::size(kTargets)];
  req.headers = {{"Content-Type", "application/json"}, {"Authorization", auth}};
  req.body = body;
  splitTarget(req);
  HttpResponse res = router.dispatch(req);
  if (res.status == 500) std::abort();  // handlers must map every input to a 4xx/2xx/501
  return 0;
}
