# rez_install_context: a resolved context installed with the package. Written for pkg from Rez's
# documented behaviour.
#
# rez_install_context(<label> <target> PACKAGES <requests...> DESTINATION <dir> [MODE latest])
#   At build time, resolves PACKAGES from the build's packages path ($REZ_USED_PACKAGES_PATH) with
#   `pkg env -o`, into <build>/<dir>/<target> (a context file, as `pkg env -o` / `rez-env -o` write
#   it), and its resolve graph into <target>.dot; both are installed into <dir>, read-only. A request
#   that does not resolve fails the build.
#   Rez 1 wrote a shell script instead; MODE earliest and EXTRA_COMMANDS (shell lines appended to that
#   script) have no form in a context file and are refused.

function(rez_install_context label target)
  cmake_parse_arguments(RIC "" "MODE;DESTINATION" "PACKAGES;EXTRA_COMMANDS" ${ARGN})
  _rez_required("rez_install_context(${label})" RIC PACKAGES)
  if(DEFINED RIC_MODE AND NOT RIC_MODE STREQUAL "latest")
    message(FATAL_ERROR "rez_install_context(${label}): MODE ${RIC_MODE} is not supported (only latest, the default)")
  endif()
  if(RIC_EXTRA_COMMANDS)
    message(FATAL_ERROR "rez_install_context(${label}): EXTRA_COMMANDS are not supported: the context is a context file, not a shell script")
  endif()
  find_program(REZ_PKG_EXECUTABLE pkg)
  if(NOT REZ_PKG_EXECUTABLE)
    message(FATAL_ERROR "rez_install_context(${label}): pkg is not on the build environment's PATH")
  endif()
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${RIC_DESTINATION}")
  set(file "${dir}/${target}")
  add_custom_command(
    OUTPUT "${file}" "${file}.dot"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${dir}"
    COMMAND "${REZ_PKG_EXECUTABLE}" env --paths "$ENV{REZ_USED_PACKAGES_PATH}" ${RIC_PACKAGES} -o "${file}"
    COMMAND "${REZ_PKG_EXECUTABLE}" context "${file}" --write-graph "${file}.dot"
    COMMENT "Resolving the context ${RIC_DESTINATION}/${target}: ${RIC_PACKAGES}"
    VERBATIM)
  add_custom_target(${label} ALL DEPENDS "${file}" "${file}.dot")
  install(FILES "${file}" "${file}.dot" DESTINATION "${RIC_DESTINATION}" PERMISSIONS ${REZ_FILE_INSTALL_PERMISSIONS})
endfunction()
