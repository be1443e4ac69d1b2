// Types of scripts/compile.js (plain JavaScript, so that it runs before anything is compiled).
export declare const projectRoot: string;
export declare const compiledDir: string;
export declare const entryFile: string;
/** Build compiled/; returns the project files that went into it (relative paths) and the time taken. */
export declare function compile(): Promise<{ inputs: string[]; ms: number }>;
/** Whether compiled/ is missing or older than one of the files it was built from. */
export declare function isStale(): boolean;
