// The local state file, `.campaigns/<id>.json`: which file a campaign was made from (path and
// SHA-256) and which pages the service has confirmed. It is only a shortcut: the service makes
// pages idempotent and sends exactly once, so a stale or lost file costs re-uploads, never re-sends.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { badInput, errorCode, errorMessage } from './errors';

export const STATE_DIR = '.campaigns';

const SavedSchema = v.object({
  version: v.literal(1),
  id: v.string(),
  url: v.string(),
  csv: v.object({
    path: v.string(),
    sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
    rows: v.pipe(v.number(), v.integer(), v.minValue(1)),
  }),
  pageSize: v.pipe(v.number(), v.integer(), v.minValue(1)),
  pages: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Page indexes the service answered for, ascending. */
  uploaded: v.array(v.pipe(v.number(), v.integer(), v.minValue(0))),
  createdAt: v.string(),
});
export type SavedCampaign = v.InferOutput<typeof SavedSchema>;

export const statePath = (dir: string, id: string): string => path.join(dir, `${id}.json`);

/** The campaign's state file, or undefined when there is none; a damaged one is a clear error. */
export function readState(dir: string, id: string): SavedCampaign | undefined {
  const file = statePath(dir, id);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw badInput(`cannot read ${file}: ${errorMessage(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = v.safeParse(SavedSchema, json);
  if (!parsed.success || parsed.output.id !== id) {
    throw badInput(
      `${file} is not a campaign state file; delete it and resume with the CSV: npm run campaign -- <recipients.csv> --resume ${id}`,
    );
  }
  return parsed.output;
}

/**
 * Writes the state file atomically (a temporary file renamed over it), so a crash or kill -9 mid-
 * write leaves the previous version, never half a file.
 */
export function writeState(dir: string, state: SavedCampaign): void {
  mkdirSync(dir, { recursive: true });
  const file = statePath(dir, state.id);
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The state with one more page confirmed. */
export const withPage = (state: SavedCampaign, page: number): SavedCampaign =>
  state.uploaded.includes(page) ? state : { ...state, uploaded: [...state.uploaded, page].sort((a, b) => a - b) };

/** Pages not yet confirmed, in order. */
export const missingPages = (state: SavedCampaign): number[] => {
  const uploaded = new Set(state.uploaded);
  return Array.from({ length: state.pages }, (_, page) => page).filter((page) => !uploaded.has(page));
};
