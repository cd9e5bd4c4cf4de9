# Run by rez_pip_install at build time (cmake -P): pip into the staging folder, scripts moved to BINDIR.
file(REMOVE_RECURSE "${STAGING}")
set(target "${STAGING}/${PYTHONDIR}")
execute_process(
  COMMAND "${PYTHON}" -m pip install --no-deps --disable-pip-version-check --no-warn-script-location --target "${target}" "${URL}"
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "rez_pip_install: pip install of ${URL} failed (${status})")
endif()
# pip --target puts scripts in <target>/bin
if(IS_DIRECTORY "${target}/bin" AND NOT "${PYTHONDIR}/bin" STREQUAL "${BINDIR}")
  file(MAKE_DIRECTORY "${STAGING}/${BINDIR}")
  file(GLOB scripts "${target}/bin/*")
  foreach(script ${scripts})
    get_filename_component(name "${script}" NAME)
    file(RENAME "${script}" "${STAGING}/${BINDIR}/${name}")
  endforeach()
  file(REMOVE_RECURSE "${target}/bin")
endif()
file(TOUCH "${STAMP}")
