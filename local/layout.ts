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
