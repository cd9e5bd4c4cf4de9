export { PKG_VERSION } from "./version.js";
