# Janus HTTP API replies and events as ringcast-bench's Janus client reads them.
rc_add_fuzz_target(janus_reply SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/target_janus_reply.cpp
                   LIBS nlohmann_json::nlohmann_json)
target_sources(fuzz_janus_reply PRIVATE ${PROJECT_SOURCE_DIR}/bench/loadgen/janus_messages.cpp)
target_include_directories(fuzz_janus_reply PRIVATE ${PROJECT_SOURCE_DIR})
