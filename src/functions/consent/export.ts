// GET /consent/export?cursor=&limit= (API action): the consent histories as CSV for an audit, one
// bounded page per request; the `Next-Cursor` header names the next page (absent on the last).
import type * as Comms from '../../lib';
const { apiAction, csv, exportConsentPage } = require(Runtime.getAssets()['/comms.js'].path) as typeof Comms;

export const handler = apiAction(async ({ params, stores }) => {
  const page = await exportConsentPage(stores, params);
  return csv(page.text, page.next ? { 'Next-Cursor': page.next } : {});
});
