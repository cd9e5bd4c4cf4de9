// pip import: Python distributions (wheels, sdists, names on an index) as Rez packages.
export { distributionRequirements, markerEnvironment, markerSysRequirements, parsePipRequirementLine, pipRequirementToRez, pipSpecifierToRezRange, pipToRezName, pipToRezVersion } from "./convert.js";
export type { DistributionRequirements, RequirementsInput, TargetPlatform, VersionConversion } from "./convert.js";
export { canonicalName, evaluateMarker, formatMarker, formatPipRequirement, markerVariables, parseMarker, parsePipRequirement, splitConditionalExtras } from "./pep508.js";
export type { Marker, MarkerEnvironment, PipRequirement, SpecifierClause } from "./pep508.js";
export { comparePep440, formatPep440, parsePep440, specifierContains } from "./pep440.js";
export type { Pep440Version } from "./pep440.js";
export { hostTarget, importDistributions } from "./import.js";
export type { ImportedPackage, PackageLookup, PipImportOptions, PipImportResult } from "./import.js";
export { findPython, queryInterpreter, runPip, which } from "./python.js";
export type { FindPythonOptions, PipRun, PythonInterpreter, PythonPackageEnvironment } from "./python.js";
export { installRemap, launcherText, openWheel, unsafeName } from "./wheel.js";
export type { ExtractResult, InstallRemap, WheelFile } from "./wheel.js";
export { parseHeaders, parseMetadata, parseRecord, parseScripts, parseWheelName, wheelTagsFit } from "./metadata.js";
export type { DistributionMetadata, EntryPoint, RecordRow, TagTarget, WheelName } from "./metadata.js";
export { readRequirementsFile } from "./requirements-file.js";
export { pipHasReport, pipResolve, pipWheels } from "./fetch.js";
export type { Candidate, PipAsk } from "./fetch.js";
