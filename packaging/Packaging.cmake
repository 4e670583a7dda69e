# Install rules and the Debian package (CPack DEB). Included at the end of the top-level
# CMakeLists.txt so that every target exists. `scripts/package.sh` configures build-pkg/ with
# RINGCAST_PORTABLE_DEB=ON and runs `cpack -G DEB`.
include(GNUInstallDirs)
set(rc_pkg_dir ${PROJECT_SOURCE_DIR}/packaging)
set(rc_pkg_out ${PROJECT_BINARY_DIR}/packaging)

# One .deb for Debian 12 and Ubuntu 24.04: their yaml-cpp (0.7 / 0.8) and spdlog (1.10 / 1.12)
# sonames differ, so the package links yaml-cpp statically and compiles spdlog and fmt header
# only. What stays dynamic (libc, libstdc++, OpenSSL 3, libsrtp2, liburing2, libnice10) has the
# same package names on both (Ubuntu's t64 packages provide the old names on amd64).
option(RINGCAST_PORTABLE_DEB "Link yaml-cpp statically and spdlog/fmt header-only" OFF)
if(RINGCAST_PORTABLE_DEB)
  find_library(rc_yamlcpp_static NAMES libyaml-cpp.a REQUIRED)
  set_target_properties(PkgConfig::YAMLCPP PROPERTIES INTERFACE_LINK_LIBRARIES "${rc_yamlcpp_static}"
                                                      INTERFACE_LINK_OPTIONS "")
  set_target_properties(PkgConfig::SPDLOG PROPERTIES
    INTERFACE_COMPILE_OPTIONS ""
    INTERFACE_COMPILE_DEFINITIONS "SPDLOG_FMT_EXTERNAL;FMT_HEADER_ONLY"
    INTERFACE_LINK_LIBRARIES "Threads::Threads"
    INTERFACE_LINK_OPTIONS "")
endif()

# --- what `make install` / the package contains -------------------------------------------
if(TARGET ringcast)
  install(TARGETS ringcast RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
if(TARGET ringcast-bench)
  install(TARGETS ringcast-bench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(FILES ${rc_pkg_dir}/ringcast.yaml DESTINATION /etc/ringcast)
install(FILES ${rc_pkg_dir}/ringcast.service DESTINATION /lib/systemd/system)

# Tuning profiles and scripts (tuning/profiles/*.conf, tuning/scripts/*), whatever exists.
file(GLOB rc_tuning_profiles CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tuning/profiles/*.conf)
# Executable shell scripts install as programs; files meant to be sourced (not executable in the
# tree) as plain files. udp-burst.py is a measurement for developers (tuning/README.md), not
# shipped: the package would need python3 for it.
file(GLOB rc_tuning_scripts_all CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tuning/scripts/*.sh)
set(rc_tuning_scripts "")
set(rc_tuning_sourced "")
foreach(script ${rc_tuning_scripts_all})
  file(READ ${script} rc_head LIMIT 2)
  string(SUBSTRING "${rc_head}" 0 2 rc_head)
  if("${rc_head}" STREQUAL "#!")
    list(APPEND rc_tuning_scripts ${script})
  else()
    list(APPEND rc_tuning_sourced ${script})
  endif()
endforeach()
if(rc_tuning_sourced)
  install(FILES ${rc_tuning_sourced} DESTINATION ${CMAKE_INSTALL_DATADIR}/ringcast/tuning/scripts)
endif()
if(rc_tuning_profiles)
  install(FILES ${rc_tuning_profiles} DESTINATION ${CMAKE_INSTALL_DATADIR}/ringcast/tuning/profiles)
endif()
if(rc_tuning_scripts)
  install(PROGRAMS ${rc_tuning_scripts} DESTINATION ${CMAKE_INSTALL_DATADIR}/ringcast/tuning/scripts)
endif()

# Documentation: man pages and changelog gzip -9n (reproducible), README and copyright.
find_program(RC_GZIP gzip REQUIRED)
function(rc_gzip_doc input output)
  add_custom_command(OUTPUT ${output}
                     COMMAND ${RC_GZIP} -9nc ${input} > ${output}
                     DEPENDS ${input} VERBATIM)
endfunction()
rc_gzip_doc(${rc_pkg_dir}/ringcast.1 ${rc_pkg_out}/ringcast.1.gz)
rc_gzip_doc(${rc_pkg_dir}/debian/changelog ${rc_pkg_out}/changelog.gz)
set(rc_doc_outputs ${rc_pkg_out}/ringcast.1.gz ${rc_pkg_out}/changelog.gz)
if(TARGET ringcast-bench)
  # Generated from --help; falls back to a page that points at --help if help2man is missing.
  find_program(RC_HELP2MAN help2man)
  add_custom_command(
    OUTPUT ${rc_pkg_out}/ringcast-bench.1.gz
    COMMAND ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:ringcast-bench> -DHELP2MAN=${RC_HELP2MAN}
            -DVERSION=${PROJECT_VERSION} -DOUT=${rc_pkg_out}/ringcast-bench.1
            -P ${rc_pkg_dir}/help2man.cmake
    COMMAND ${RC_GZIP} -9nf ${rc_pkg_out}/ringcast-bench.1
    DEPENDS ringcast-bench ${rc_pkg_dir}/help2man.cmake VERBATIM)
  list(APPEND rc_doc_outputs ${rc_pkg_out}/ringcast-bench.1.gz)
endif()
add_custom_target(rc_package_docs ALL DEPENDS ${rc_doc_outputs})
install(FILES ${rc_pkg_out}/ringcast.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
if(TARGET ringcast-bench)
  install(FILES ${rc_pkg_out}/ringcast-bench.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
install(FILES ${rc_pkg_out}/changelog.gz ${rc_pkg_dir}/debian/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# --- CPack DEB ---------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ringcast)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "single-host WebRTC SFU with WHIP/WHEP")
# CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY first (the synopsis); this is the long text.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "ringcast forwards WebRTC media between browsers without transcoding:
publishers send with WHIP, viewers play with WHEP, access tokens are
LiveKit-format JWTs. Media runs over one UDP port (ICE-lite, DTLS-SRTP)
on per-core workers using io_uring.

The package installs the daemon, a hardened systemd unit, the default
configuration and the host tuning profiles. The service starts once an
API key is configured in /etc/ringcast/keys.yaml.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "ringcast maintainers <maintainers@users.noreply.b-seed-4b4f17ec.example>")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")  # init-system-helpers is essential
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
configure_file(${rc_pkg_dir}/debian/conffiles ${rc_pkg_out}/control/conffiles COPYONLY)
foreach(script postinst prerm postrm)
  configure_file(${rc_pkg_dir}/debian/${script} ${rc_pkg_out}/control/${script} COPYONLY)
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${rc_pkg_out}/control/conffiles ${rc_pkg_out}/control/postinst
    ${rc_pkg_out}/control/prerm ${rc_pkg_out}/control/postrm)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR})
include(CPack)

# --- tests -------------------------------------------------------------------------------------
if(RINGCAST_TESTS)
  include(${rc_pkg_dir}/test/Tests.cmake)
endif()
