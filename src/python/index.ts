export { PythonWorkerPool, PythonUnavailableError, defaultPython, findWorkerScript, workerFingerprint } from "./worker-pool.js";
export type { PythonWorkerPoolOptions, WorkerErrorInfo, WorkerRequest, WorkerRequestOptions, WorkerResponse } from "./worker-pool.js";
