# Recorder spool journal reader (crash recovery input).
rc_add_fuzz_target(s3_journal SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/target_s3_journal.cpp
                   LIBS rc_record_store)
