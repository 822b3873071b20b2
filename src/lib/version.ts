declare const __APP_VERSION__: string | undefined;

/** The package version, stamped into the asset at build time. */
export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
