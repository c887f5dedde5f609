export declare const WORKER_NODE_FLAGS: readonly string[];
export declare function hasHeapFlags(execArgv?: readonly string[], nodeOptions?: string): boolean;
