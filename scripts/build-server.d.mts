/** dist/server/main.js, the server bundle. */
export declare const serverBundle: string;
/** The newest modification time (ms) of a file or of any file below a directory. */
export declare function newest(path: string): number;
/** True when the bundle is missing or a source it is built from is newer. */
export declare function serverBundleStale(): boolean;
/** Builds the bundle (dist/server/main.js unless `outfile`); its build time and the modules it imports at run time. */
export declare function buildServer(opts?: { outfile?: string }): Promise<{ ms: number; imports: string[] }>;
/** Builds the bundle when it is stale (or `force`); returns its path. */
export declare function ensureServerBundle(opts?: { force?: boolean; quiet?: boolean }): Promise<string>;
