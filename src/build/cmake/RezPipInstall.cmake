# rez_pip_install: a python distribution installed into the package with pip. Written for pkg from
# Rez's documented behaviour.
#
# rez_pip_install(<label> URL <url> [PYTHONDIR <dir>] [BINDIR <dir>])
#   At build time, `python -m pip install --no-deps --target` installs URL (anything pip takes: a
#   wheel or archive file, relative to the source folder, a folder, an http url) into <build>/<label>/
#   staging: its modules into PYTHONDIR (default python), its scripts into BINDIR (default bin). The
#   install step copies them into the package. The python used is the build environment's (python,
#   else python3); it needs pip.

set(_REZ_PIP_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/RezPipInstallRun.cmake")

function(rez_pip_install label)
  cmake_parse_arguments(RPI "" "URL;PYTHONDIR;BINDIR" "" ${ARGN})
  if(NOT DEFINED RPI_URL)
    message(FATAL_ERROR "rez_pip_install(${label}): URL is required")
  endif()
  if(NOT DEFINED RPI_PYTHONDIR)
    set(RPI_PYTHONDIR python)
  endif()
  if(NOT DEFINED RPI_BINDIR)
    set(RPI_BINDIR bin)
  endif()
  set(url "${RPI_URL}")
  if(NOT url MATCHES "^[A-Za-z][A-Za-z0-9+.-]*://" AND NOT IS_ABSOLUTE "${url}")
    get_filename_component(url "${url}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  find_program(REZ_PYTHON_EXECUTABLE NAMES python python3)
  if(NOT REZ_PYTHON_EXECUTABLE)
    message(FATAL_ERROR "rez_pip_install(${label}): no python interpreter (python, python3) on the build environment's PATH")
  endif()
  set(staging "${CMAKE_CURRENT_BINARY_DIR}/${label}/staging")
  set(stamp "${CMAKE_CURRENT_BINARY_DIR}/${label}/installed.stamp")
  add_custom_command(
    OUTPUT "${stamp}"
    COMMAND "${CMAKE_COMMAND}" "-DPYTHON=${REZ_PYTHON_EXECUTABLE}" "-DURL=${url}" "-DSTAGING=${staging}"
            "-DPYTHONDIR=${RPI_PYTHONDIR}" "-DBINDIR=${RPI_BINDIR}" "-DSTAMP=${stamp}" -P "${_REZ_PIP_SCRIPT}"
    COMMENT "pip install ${RPI_URL}"
    VERBATIM)
  add_custom_target(${label} ALL DEPENDS "${stamp}")
  install(DIRECTORY "${staging}/" DESTINATION . USE_SOURCE_PERMISSIONS)
endfunction()
