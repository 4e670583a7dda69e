# Twirp RoomService and app API JSON bodies (router + handlers + protobuf-JSON reader).
rc_add_fuzz_target(twirp SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/target_twirp.cpp LIBS rc_api)
