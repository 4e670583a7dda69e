rc_add_fuzz_target(rtcp SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/target_rtcp.cpp LIBS rc_rtcp)
