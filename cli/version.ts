import pkg from '../package.json' with { type: 'json' };

/** The version `conn --version` prints: package.json's, read at build time so the bin needs no file beside it. */
export const VERSION: string = pkg.version;
