export * from "./values.js";
export * from "./config.js";
export * from "./packages-path.js";
export { deepUpdate, isModifyList, readRezConfigFile, readRezConfigFiles, rezConfigSearchList, sourcedRezConfigFile } from "./rez-config.js";
export type { ModifyList, RezConfigLayer, RezConfigReadOptions, RezSetting, RezSettings } from "./rez-config.js";
