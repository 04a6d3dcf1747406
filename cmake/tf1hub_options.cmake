# Warnings, architecture and sanitizer flags, applied per target through the
# interface library tf1hub_build_options (never through global flags).
add_library(tf1hub_build_options INTERFACE)
target_compile_options(tf1hub_build_options INTERFACE
  -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare)
# SSE4.2 for the CRC-32C instruction; the code keeps a table fallback.
target_compile_options(tf1hub_build_options INTERFACE -msse4.2 -mpclmul)

if(TF1HUB_SANITIZE STREQUAL "address")
  target_compile_options(tf1hub_build_options INTERFACE -fsanitize=address -fno-omit-frame-pointer)
  target_link_options(tf1hub_build_options INTERFACE -fsanitize=address)
elseif(TF1HUB_SANITIZE STREQUAL "thread")
  target_compile_options(tf1hub_build_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(tf1hub_build_options INTERFACE -fsanitize=thread)
elseif(TF1HUB_SANITIZE STREQUAL "undefined")
  target_compile_options(tf1hub_build_options INTERFACE -fsanitize=undefined -fno-sanitize-recover=all)
  target_link_options(tf1hub_build_options INTERFACE -fsanitize=undefined)
elseif(NOT TF1HUB_SANITIZE STREQUAL "")
  message(FATAL_ERROR "TF1HUB_SANITIZE must be address, thread or undefined")
endif()

# One gtest executable per layer keeps link time low on 2 cores.
function(tf1hub_add_test_binary name)
  if(NOT TF1HUB_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} tf1hub_build_options
    GTest::gtest GTest::gmock GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60)
endfunction()
