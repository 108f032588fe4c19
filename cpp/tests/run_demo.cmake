# CTest helper: runs a demo on a fresh database file and checks it prints exactly examples/demo.expected.
# cmake -DPROGRAM=<demo> -DDATABASE=<file> -DEXPECTED=<demo.expected> -P run_demo.cmake
file(REMOVE "${DATABASE}")
execute_process(COMMAND "${PROGRAM}" "${DATABASE}"
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
file(READ "${EXPECTED}" expected)
# Lines starting with # in the expected file are comments.
string(REGEX REPLACE "(^|\n)#[^\n]*\n" "\\1" expected "${expected}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} failed (${status}):\n${output}${errors}")
endif()
if(NOT output STREQUAL expected)
  message(FATAL_ERROR "${PROGRAM} printed:\n${output}${errors}\nbut ${EXPECTED} says:\n${expected}")
endif()
message("${output}${errors}demo output is as expected")
