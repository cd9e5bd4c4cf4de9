# pkg's RezBuild module: include(RezBuild) in a CMakeLists.txt built by `pkg build` (or rez-build).
# Written for pkg from Rez's documented behaviour. It
#   - refuses to run outside a build environment ($REZ_BUILD_ENV),
#   - sets <PKG>_VERSION, <PKG>_MAJOR_VERSION, <PKG>_MINOR_VERSION and <PKG>_PATCH_VERSION for the
#     package being built and for every package of the build request (REZ_BUILD_REQUIRES_UNVERSIONED),
#   - makes the rez_* macros available (rez_install_files, rez_install_dirs, rez_install_python,
#     rez_install_cmake, rez_find_packages, rez_package_in_use, rez_install_context, rez_pip_install,
#     rez_install_doxygen),
#   - calls project(<package name>) (rez_project).

if(NOT DEFINED ENV{REZ_BUILD_ENV})
  message(FATAL_ERROR "This project must be built with pkg build (or rez-build): REZ_BUILD_ENV is not set.")
endif()
foreach(_rez_var REZ_BUILD_PROJECT_NAME REZ_BUILD_PROJECT_VERSION)
  if(NOT DEFINED ENV{${_rez_var}})
    message(FATAL_ERROR "${_rez_var} is not set in the build environment.")
  endif()
endforeach()

set(REZ_BUILD_ENV "$ENV{REZ_BUILD_ENV}")
set(REZ_BUILD_PROJECT_NAME "$ENV{REZ_BUILD_PROJECT_NAME}")
set(REZ_BUILD_PROJECT_VERSION "$ENV{REZ_BUILD_PROJECT_VERSION}")
set(REZ_BUILD_ALL_PKGS "$ENV{REZ_BUILD_REQUIRES_UNVERSIONED}")
separate_arguments(REZ_BUILD_ALL_PKGS)

# <PREFIX>_VERSION and its first three dot-separated parts (missing parts are 0)
macro(_rez_set_version_vars prefix version)
  set(${prefix}_VERSION "${version}")
  string(REPLACE "." ";" _rez_parts "${version};0;0")
  list(GET _rez_parts 0 ${prefix}_MAJOR_VERSION)
  list(GET _rez_parts 1 ${prefix}_MINOR_VERSION)
  list(GET _rez_parts 2 ${prefix}_PATCH_VERSION)
endmacro()

foreach(_rez_pkg ${REZ_BUILD_ALL_PKGS})
  string(TOUPPER "${_rez_pkg}" _rez_upkg)
  string(REPLACE "." "_" _rez_upkg "${_rez_upkg}")
  if(DEFINED ENV{REZ_${_rez_upkg}_VERSION} AND NOT "$ENV{REZ_${_rez_upkg}_VERSION}" STREQUAL "")
    _rez_set_version_vars(${_rez_upkg} "$ENV{REZ_${_rez_upkg}_VERSION}")
  endif()
endforeach()
if(NOT REZ_BUILD_PROJECT_VERSION STREQUAL "")
  string(TOUPPER "${REZ_BUILD_PROJECT_NAME}" _rez_upkg)
  _rez_set_version_vars(${_rez_upkg} "${REZ_BUILD_PROJECT_VERSION}")
endif()

# installed files are read-only, as Rez installs them
set(REZ_FILE_INSTALL_PERMISSIONS OWNER_READ GROUP_READ WORLD_READ)
set(REZ_EXECUTABLE_FILE_INSTALL_PERMISSIONS OWNER_EXECUTE GROUP_EXECUTE WORLD_EXECUTE OWNER_READ GROUP_READ WORLD_READ)

include(RezInstall)
include(RezInstallCMake)
include(RezFindPackages)
include(RezInstallContext)
include(RezPipInstall)
include(RezInstallDoxygen)

macro(rez_project)
  project(${REZ_BUILD_PROJECT_NAME})
endmacro()

# result: TRUE when pkg is the name of a package of the build request
macro(rez_package_in_use pkg result)
  list(FIND REZ_BUILD_ALL_PKGS "${pkg}" _rez_index)
  if(_rez_index LESS 0)
    set(${result} FALSE)
  else()
    set(${result} TRUE)
  endif()
endmacro()

rez_project()
