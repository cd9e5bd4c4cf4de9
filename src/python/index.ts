export { PythonTimeoutError, PythonUnavailableError, PythonWorkerDiedError, PythonWorkerPool, defaultPython, findWorkerScript, workerFingerprint } from "./worker-pool.js";
export type { PythonWorkerPoolOptions, WorkerRequestOptions, WorkerErrorInfo, WorkerRequest, WorkerResponse } from "./worker-pool.js";
