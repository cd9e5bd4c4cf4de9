// The shapes configuration values take, and the error a bad one gives.
import { PkgError } from "../errors/index.js";

/** A JSON-like value as found in a configuration file (orderers, filters). */
export type ConfigValue = null | boolean | number | string | readonly ConfigValue[] | { readonly [key: string]: ConfigValue };
export type ConfigTable = { readonly [key: string]: ConfigValue };

export class ConfigError extends PkgError {
  constructor(
    message: string,
    readonly file?: string,
    readonly key?: string,
  ) {
    super("PKG0003", message);
    this.name = "ConfigError";
  }
}
