# Packaging tests (included by packaging/Packaging.cmake when RINGCAST_TESTS is on).
#   install_deb        build the .deb, lintian, systemd-analyze verify, install/serve/upgrade/
#                      purge in a debootstrapped Debian 12 root (label install; skipped, 77,
#                      without root or debootstrap)
#   packaging_manpage  every option `ringcast ... --help` prints is in packaging/ringcast.1
#   packaging_aws_cdk  the CDK app's offline template tests (skipped without node_modules)
# A tree configured like the shipped build (scripts/package-flags.sh; the suite's Release tree)
# is packed as it is; any other tree has scripts/package.sh build the package in build-pkg/.
if(RINGCAST_PORTABLE_DEB AND CMAKE_BUILD_TYPE STREQUAL "Release")
  set(rc_install_test_args --pack ${PROJECT_BINARY_DIR})
endif()
add_test(NAME install_deb COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/install_test.sh
                                  ${rc_install_test_args})
set_tests_properties(install_deb PROPERTIES LABELS install SKIP_RETURN_CODE 77 TIMEOUT 1800
                                            RUN_SERIAL ON)

if(TARGET ringcast)
  add_test(NAME packaging_manpage
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/manpage_check.sh $<TARGET_FILE:ringcast>
                   ${PROJECT_SOURCE_DIR}/packaging/ringcast.1)
  set_tests_properties(packaging_manpage PROPERTIES LABELS packaging)
endif()

set(rc_aws_dir ${PROJECT_SOURCE_DIR}/packaging/aws)
add_test(NAME packaging_aws_cdk COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/aws_cdk_test.sh ${rc_aws_dir})
set_tests_properties(packaging_aws_cdk PROPERTIES LABELS packaging SKIP_RETURN_CODE 77 TIMEOUT 600)
