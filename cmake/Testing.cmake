# sctpng_add_test(NAME name SUITE suite SOURCES a.c ... [LIBS l ...])
# Builds one cmocka test program and registers it with CTest, labelled by
# its suite (unit, kernel, compat, tools, sim, interop, multihoming).
# Test programs print TAP (CMOCKA_MESSAGE_OUTPUT=TAP) so the suite runner
# can count individual cases, also inside the VM.
find_package(PkgConfig REQUIRED)
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)

function(sctpng_add_test)
  cmake_parse_arguments(T "" "NAME;SUITE" "SOURCES;LIBS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_include_directories(${T_NAME} PRIVATE ${SCTPNG_INCLUDE} ${SCTPNG_SRC}
                             ${CMAKE_SOURCE_DIR}/tests)
  target_link_libraries(${T_NAME} PRIVATE PkgConfig::CMOCKA ${T_LIBS})
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  set_tests_properties(${T_NAME} PROPERTIES LABELS ${T_SUITE}
                       ENVIRONMENT CMOCKA_MESSAGE_OUTPUT=TAP TIMEOUT 120)
endfunction()
