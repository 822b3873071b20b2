import type { Clock } from '../clock';
import { iso8601 } from '../dates';
import { TwilioApiError } from '../http/errors';
import { newSid } from '../sids';
import { serviceUrl, type SyncServiceRecord } from './model';

/** The alias Twilio resolves to the account's default Sync Service. */
const DEFAULT_SERVICE_ALIAS = 'default';

/** The account's Sync Services; one named `default` exists from the start. */
export class SyncServices {
  private readonly bySid = new Map<string, SyncServiceRecord>();
  private seq = 0;
  readonly defaultService: SyncServiceRecord;

  constructor(private readonly clock: Clock) {
    this.defaultService = this.create({ friendlyName: 'Default Service', uniqueName: DEFAULT_SERVICE_ALIAS });
  }

  create(init: { friendlyName: string | null; uniqueName?: string | null }): SyncServiceRecord {
    const now = this.clock.now();
    const service: SyncServiceRecord = {
      sid: newSid('IS'),
      uniqueName: init.uniqueName ?? null,
      friendlyName: init.friendlyName,
      seq: ++this.seq,
      dateCreated: now,
      dateUpdated: now,
      maps: new Map(),
      mapSidByName: new Map(),
    };
    this.bySid.set(service.sid, service);
    return service;
  }

  /** By SID, or `default` for the default service; 54050 when there is none. */
  resolve(sidOrAlias: string): SyncServiceRecord {
    const service = sidOrAlias === DEFAULT_SERVICE_ALIAS ? this.defaultService : this.bySid.get(sidOrAlias);
    if (!service) throw new TwilioApiError(404, 54050, `Service Instance ${sidOrAlias} not found`);
    return service;
  }

  /** In creation order. */
  all(): SyncServiceRecord[] {
    return [...this.bySid.values()];
  }
}

/** The Sync Service resource as the v1 API serializes it. */
export function serviceResource(accountSid: string, s: SyncServiceRecord): Record<string, unknown> {
  const url = serviceUrl(s.sid);
  return {
    account_sid: accountSid,
    acl_enabled: false,
    date_created: iso8601(s.dateCreated),
    date_updated: iso8601(s.dateUpdated),
    friendly_name: s.friendlyName,
    links: { documents: `${url}/Documents`, lists: `${url}/Lists`, maps: `${url}/Maps`, streams: `${url}/Streams` },
    reachability_debouncing_enabled: false,
    reachability_debouncing_window: 5000,
    reachability_webhooks_enabled: false,
    sid: s.sid,
    unique_name: s.uniqueName,
    url,
    webhook_url: null,
    webhooks_from_rest_enabled: false,
  };
}
