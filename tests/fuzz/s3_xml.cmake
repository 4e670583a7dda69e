# S3 XML response readers (ListObjectsV2, CreateMultipartUpload, Error).
rc_add_fuzz_target(s3_xml SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/target_s3_xml.cpp
                   LIBS rc_record_store)
