export { processIsGone, seal, unseal, readSealedFile, writeFileAtomic, writeSealedFile } from "./checked-file.js";
export type { Unsealed, CheckedRead } from "./checked-file.js";
