rc_add_fuzz_target(rtp SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/target_rtp.cpp LIBS rc_rtp)
