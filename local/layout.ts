import path from 'node:path';

/** Where things live in this repository; the one place scripts and tests take paths from. */
export const ROOT_DIR = path.resolve(__dirname, '..');
export const SRC_DIR = path.join(ROOT_DIR, 'src');
export const DIST_DIR = path.join(ROOT_DIR, 'dist');
export const FUNCTIONS_DIR = path.join(DIST_DIR, 'functions');
export const ASSETS_DIR = path.join(DIST_DIR, 'assets');
/** The shared logic's single private asset, as Functions look it up. */
export const SHARED_ASSET = '/comms.js';
export const SHARED_ASSET_FILE = path.join(ASSETS_DIR, 'comms.private.js');
/** The sandbox's own files on this machine (its CA, deployed sites); ignored by git. */
export const SANDBOX_DATA_DIR = path.join(ROOT_DIR, '.sandbox');
/** The CA the sandbox's proxy signs with: what NODE_EXTRA_CA_CERTS points at. */
export const SANDBOX_CA_FILE = path.join(SANDBOX_DATA_DIR, 'ca.pem');
