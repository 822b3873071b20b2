import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError } from '../../../scripts/campaign/errors';
import { missingPages, readState, statePath, withPage, writeState, type SavedCampaign } from '../../../scripts/campaign/state';

const ID = 'CP0123456789abcdef0123456789abcdef';
const saved: SavedCampaign = {
  version: 1,
  id: ID,
  url: 'http://localhost:3000',
  csv: { path: '/data/recipients.csv', sha256: 'a'.repeat(64), rows: 1_234 },
  pageSize: 500,
  pages: 3,
  uploaded: [],
  createdAt: '2025-06-01T09:00:00.000Z',
};

describe('the campaign state file', () => {
  it('is written atomically and read back; no state file is undefined, not an error', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'campaign-state-')), '.campaigns');
    expect(readState(dir, ID)).toBeUndefined();
    writeState(dir, withPage(saved, 1));
    expect(readState(dir, ID)).toEqual({ ...saved, uploaded: [1] });
    expect(readdirSync(dir)).toEqual([`${ID}.json`]); // no temporary file left behind
    expect(readFileSync(statePath(dir, ID), 'utf8')).not.toMatch(/token/i);
  });

  it('records confirmed pages in order, once each, and lists the missing ones', () => {
    const state = withPage(withPage(withPage(saved, 2), 0), 2);
    expect(state.uploaded).toEqual([0, 2]);
    expect(missingPages(state)).toEqual([1]);
    expect(missingPages(withPage(state, 1))).toEqual([]);
    expect(saved.uploaded).toEqual([]); // the original is not changed
  });

  it('calls a damaged or foreign file bad input, with the way out', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'campaign-state-'));
    writeFileSync(statePath(dir, ID), '{"version":1,"id":');
    expect(() => readState(dir, ID)).toThrow(CliError);
    expect(() => readState(dir, ID)).toThrow(`npm run campaign -- <recipients.csv> --resume ${ID}`);
    writeFileSync(statePath(dir, ID), JSON.stringify({ ...saved, id: 'CPother' }));
    expect(() => readState(dir, ID)).toThrow('is not a campaign state file');
  });
});
