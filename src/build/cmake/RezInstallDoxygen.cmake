# rez_install_doxygen: Doxygen documentation built, and installed on a release. Written for pkg from
# Rez's documented behaviour.
#
# rez_install_doxygen(<label> FILES <files...> DESTINATION <dir> [DOXYFILE <file>] [DOXYDIR <dir>]
#                     [IMAGEPATH <dir>] [FORCE] [DOXYPY])
#   Writes <build>/<DESTINATION>/Doxyfile: DOXYFILE (default: pkg's template, $REZ_BUILD_DOXYFILE)
#   followed by the package's name, version and description, INPUT = FILES, IMAGE_PATH and
#   STRIP_FROM_PATH. The target <label> runs doxygen there, writing DOXYDIR (default html). On a
#   central build (pkg release), or with FORCE, <label> is part of the build and DOXYDIR is installed
#   into DESTINATION. DOXYPY filters python sources through doxypy.py from the doxypy package
#   ($REZ_DOXYPY_ROOT). Without doxygen on the build environment's PATH the documentation is not built,
#   with a warning saying so (as Rez).

function(rez_install_doxygen label)
  cmake_parse_arguments(RID "FORCE;DOXYPY" "DESTINATION;DOXYFILE;DOXYDIR;IMAGEPATH" "FILES" ${ARGN})
  _rez_required("rez_install_doxygen(${label})" RID FILES)
  if(NOT DOXYGEN_EXECUTABLE)
    find_package(Doxygen QUIET)
  endif()
  if(NOT DOXYGEN_EXECUTABLE OR NOT EXISTS "${DOXYGEN_EXECUTABLE}")
    message(WARNING "rez_install_doxygen(${label}): doxygen is not on the build environment's PATH - the documentation was not built. Install doxygen, or add a package providing it to build_requires.")
    return()
  endif()
  if(DEFINED RID_DOXYFILE)
    get_filename_component(doxyfile "${RID_DOXYFILE}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  elseif(DEFINED ENV{REZ_BUILD_DOXYFILE})
    set(doxyfile "$ENV{REZ_BUILD_DOXYFILE}")
  else()
    set(doxyfile "${CMAKE_CURRENT_LIST_DIR}/Doxyfile")
  endif()
  if(NOT EXISTS "${doxyfile}")
    message(FATAL_ERROR "rez_install_doxygen(${label}): the Doxyfile ${doxyfile} does not exist")
  endif()
  if(NOT DEFINED RID_DOXYDIR)
    set(RID_DOXYDIR html)
  endif()
  set(inputs "")
  foreach(f ${RID_FILES})
    get_filename_component(abs "${f}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    string(APPEND inputs " \"${abs}\"")
  endforeach()
  file(READ "${doxyfile}" config)
  string(REPLACE "\n" " " brief "$ENV{REZ_BUILD_PROJECT_DESCRIPTION}")
  string(REPLACE "\"" "\\\"" brief "${brief}")
  string(APPEND config "\n# added by rez_install_doxygen\n"
    "PROJECT_NAME = \"$ENV{REZ_BUILD_PROJECT_NAME}\"\n"
    "PROJECT_NUMBER = \"$ENV{REZ_BUILD_PROJECT_VERSION}\"\n"
    "PROJECT_BRIEF = \"${brief}\"\n"
    "INPUT =${inputs}\n"
    "STRIP_FROM_PATH = \"${CMAKE_SOURCE_DIR}\"\n")
  if(DEFINED RID_IMAGEPATH)
    get_filename_component(images "${RID_IMAGEPATH}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    string(APPEND config "IMAGE_PATH = \"${images}\"\n")
  endif()
  if(RID_DOXYPY)
    find_file(REZ_DOXYPY_SRC doxypy.py PATHS "$ENV{REZ_DOXYPY_ROOT}" NO_DEFAULT_PATH)
    if(NOT REZ_DOXYPY_SRC)
      message(FATAL_ERROR "rez_install_doxygen(${label}): DOXYPY needs doxypy.py from a doxypy package ($REZ_DOXYPY_ROOT); add doxypy to build_requires")
    endif()
    find_program(REZ_PYTHON_EXECUTABLE NAMES python python3)
    string(APPEND config "FILTER_SOURCE_FILES = YES\nINPUT_FILTER = \"${REZ_PYTHON_EXECUTABLE} ${REZ_DOXYPY_SRC}\"\nOPTIMIZE_OUTPUT_JAVA = YES\nEXTRACT_ALL = YES\n")
  endif()
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${RID_DESTINATION}")
  file(MAKE_DIRECTORY "${dir}")
  file(WRITE "${dir}/Doxyfile" "${config}")
  add_custom_target(${label}
    COMMAND "${DOXYGEN_EXECUTABLE}" Doxyfile
    WORKING_DIRECTORY "${dir}"
    COMMENT "Generating the documentation in ${RID_DESTINATION}/${RID_DOXYDIR}"
    VERBATIM)
  if(REZ_BUILD_TYPE STREQUAL "central" OR RID_FORCE)
    add_custom_target(_install_${label} ALL DEPENDS ${label})
    install(DIRECTORY "${dir}/${RID_DOXYDIR}" DESTINATION "${RID_DESTINATION}")
  endif()
endfunction()
