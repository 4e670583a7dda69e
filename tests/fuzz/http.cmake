# HTTP requests (Beast parser + router + WHIP/WHEP handlers) and access tokens.
rc_add_fuzz_target(http SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/target_http.cpp LIBS rc_api)
