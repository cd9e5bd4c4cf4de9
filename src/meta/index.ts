export { PKG_VERSION } from "./version.js";
export { pkgLauncherFolder } from "./launcher.js";
export type { LauncherTarget } from "./launcher.js";
