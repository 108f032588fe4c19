# CTest helper: builds and runs tiny consumer projects of Lode, one with add_subdirectory, one with find_package after `cmake --install`, plus a pkg-config build.
# cmake -DLODE_SOURCE_DIR= -DLODE_BUILD_DIR= -DLODE_LIBRARY_DIR= -DLODE_VERSION= -DWORK_DIR= -DGENERATOR= -DC_COMPILER= -DCXX_COMPILER= -P consumers.cmake
set(consumers "${CMAKE_CURRENT_LIST_DIR}/consumer")
set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# step(<what> <command...>): runs a command, failing the test with its output if it fails.
function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${what} failed (${status}):\n${output}")
  endif()
  message(STATUS "${what}: ok")
  set(step_output "${output}" PARENT_SCOPE)
endfunction()

set(common -G "${GENERATOR}" "-DCMAKE_C_COMPILER=${C_COMPILER}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
    "-DLODE_EXPECTED_VERSION=${LODE_VERSION}")

# 1. add_subdirectory of the source tree, reusing the library already built.
step("configure (add_subdirectory)" "${CMAKE_COMMAND}" -S "${consumers}/subdirectory"
     -B "${WORK_DIR}/subdirectory" ${common}
     "-DLODE_SOURCE_DIR=${LODE_SOURCE_DIR}" "-DLODE_LIBRARY_DIR=${LODE_LIBRARY_DIR}")
step("build (add_subdirectory)" "${CMAKE_COMMAND}" --build "${WORK_DIR}/subdirectory")
step("run C (add_subdirectory)" "${WORK_DIR}/subdirectory/consumer_c")
step("run C++ (add_subdirectory)" "${WORK_DIR}/subdirectory/consumer_cpp")

# 2. cmake --install into a prefix, then find_package from there.
step("install" "${CMAKE_COMMAND}" --install "${LODE_BUILD_DIR}" --prefix "${prefix}")
step("configure (find_package)" "${CMAKE_COMMAND}" -S "${consumers}/package"
     -B "${WORK_DIR}/package" ${common} "-DCMAKE_PREFIX_PATH=${prefix}")
step("build (find_package)" "${CMAKE_COMMAND}" --build "${WORK_DIR}/package")
step("run C (find_package)" "${WORK_DIR}/package/consumer_c")
step("run C++ (find_package)" "${WORK_DIR}/package/consumer_cpp")

# 3. pkg-config, as a C build without CMake would use it (skipped if pkg-config is missing).
find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
  file(GLOB_RECURSE pc_files "${prefix}/*/lode.pc")
  list(GET pc_files 0 pc_file)
  get_filename_component(pc_dir "${pc_file}" DIRECTORY)
  step("pkg-config" "${CMAKE_COMMAND}" -E env "PKG_CONFIG_PATH=${pc_dir}"
       "${PKG_CONFIG}" --cflags --libs lode)
  separate_arguments(flags UNIX_COMMAND "${step_output}")
  step("build C (pkg-config)" "${C_COMPILER}" "${consumers}/main.c" -o "${WORK_DIR}/pkgconfig_c" ${flags})
  step("run C (pkg-config)" "${WORK_DIR}/pkgconfig_c")
else()
  message(STATUS "pkg-config not found: its check is skipped")
endif()
