// The package loader with its synchronous path for pure-data files (package.yaml, declarative package.py).
import { createPackageLoader, loadPackageYamlText, tryLoadDeclarative } from "../package/index.js";
import type { PackageLoaderOptions } from "../package/index.js";
import type { DefinitionLoader } from "./types.js";

export function createDefinitionLoader(options: PackageLoaderOptions = {}): DefinitionLoader {
  const loader = createPackageLoader(options);
  return {
    fingerprint: loader.fingerprint,
    load: (file, identity) => loader.load(file, identity),
    loadToolsets: (file) => loader.loadToolsets(file),
    tryLoadDeclarative: (file, text, identity) => {
      if (file.endsWith(".yaml")) return loadPackageYamlText(file, text, identity);
      const read = tryLoadDeclarative(file, text, identity);
      return read && loader.checkDeclarative(read);
    },
    close: () => loader.close(),
  };
}
