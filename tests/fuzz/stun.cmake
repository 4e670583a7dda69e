rc_add_fuzz_target(stun SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/target_stun.cpp LIBS rc_stun)
