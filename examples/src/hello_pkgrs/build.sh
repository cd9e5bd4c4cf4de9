#!/bin/bash
# Builds into $REZ_BUILD_PATH and, with `pkg build -i`, installs into $REZ_BUILD_INSTALL_PATH.
set -euo pipefail
printf '#!/bin/sh\necho "hello from %s-%s"\n' "$REZ_BUILD_PROJECT_NAME" "$REZ_BUILD_PROJECT_VERSION" > hello_pkgrs
chmod +x hello_pkgrs
if [ "${1:-}" = install ]; then
  mkdir -p "$REZ_BUILD_INSTALL_PATH/bin"
  cp hello_pkgrs "$REZ_BUILD_INSTALL_PATH/bin/"
fi
