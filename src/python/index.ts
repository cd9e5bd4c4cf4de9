export { PythonTimeoutError, PythonUnavailableError, PythonWorkerDiedError, PythonWorkerPool, defaultPython, findPythonScript, findWorkerScript, workerFingerprint } from "./worker-pool.js";
export type { PythonWorkerPoolOptions, WorkerRequestOptions, WorkerErrorInfo, WorkerRequest, WorkerResponse } from "./worker-pool.js";
