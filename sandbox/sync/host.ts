import { badRequest } from '../http/errors';
import { listEnvelopeV1, pickFilters, readPageRequest, slicePage } from '../http/paging';
import { json, noContent, Router, type ApiRequest, type ApiResponse, type TwilioHost } from '../http/router';
import { itemResource, parseItemData, type ItemOrder, type SyncMapItems } from './items';
import { mapResource, type SyncMaps } from './maps';
import { mapUrl, SYNC_BASE_URL, serviceUrl, type SyncMapItemRecord, type SyncMapRecord } from './model';
import { serviceResource, type SyncServices } from './services';
import { readTtl } from './ttl';

export interface SyncHostDeps {
  accountSid: string;
  services: SyncServices;
  maps: SyncMaps;
  items: SyncMapItems;
}

/** Sync's maximum PageSize. */
const MAX_PAGE_SIZE_V1 = 100;

/** The `If-Match` header, if any; a quoted entity tag (`"3"`) is read as its revision. */
function ifMatch(req: ApiRequest): string | undefined {
  // A string or nothing: Node joins a repeated If-Match with ", " (only set-cookie arrives as a list).
  const value = req.headers['if-match'];
  return value === undefined ? undefined : value.replace(/^"(.*)"$/, '$1');
}

/**
 * A Map Item answer with its `ETag` header: the spec lists ETag on item create (201), fetch and
 * update (200), and Twilio's 54205 page says what to send in If-Match: "When using REST … this is
 * the ETag header provided in responses" (https://www.twilio.com/docs/api/errors/54205), i.e. the
 * item's revision.
 */
function withETag(status: number, accountSid: string, map: SyncMapRecord, item: SyncMapItemRecord): ApiResponse {
  return { status, body: itemResource(accountSid, map, item), headers: { ETag: String(item.revision) } };
}

/** Creation-order paging for services and maps: the cursor is the resource's sequence number. */
function bySeq<T extends { seq: number }>(item: T, cursor: string): number {
  return item.seq - Number(cursor);
}

/** sync.twilio.com: Services, Maps and Map Items of Sync v1. */
export function syncHost(deps: SyncHostDeps): TwilioHost {
  const { accountSid, services, maps, items } = deps;

  const mapOf = (req: ApiRequest): SyncMapRecord =>
    maps.resolve(services.resolve(req.params.ServiceSid), req.params.MapSid ?? req.params.Sid);

  const router = new Router()
    .get('/v1/Services', (req) => {
      const page = readPageRequest(req.query, MAX_PAGE_SIZE_V1);
      const slice = slicePage(services.all(), page, (s) => String(s.seq), bySeq);
      const resources = slice.items.map((s) => serviceResource(accountSid, s));
      return json(200, listEnvelopeV1('services', `${SYNC_BASE_URL}/Services`, [], page, slice, resources));
    })
    .post('/v1/Services', (req) => {
      const service = services.create({ friendlyName: req.form.get('FriendlyName') });
      return json(201, serviceResource(accountSid, service));
    })
    .get('/v1/Services/:ServiceSid', (req) => json(200, serviceResource(accountSid, services.resolve(req.params.ServiceSid))))

    .get('/v1/Services/:ServiceSid/Maps', (req) => {
      const service = services.resolve(req.params.ServiceSid);
      const page = readPageRequest(req.query, MAX_PAGE_SIZE_V1);
      const slice = slicePage(maps.list(service), page, (m) => String(m.seq), bySeq);
      const resources = slice.items.map((m) => mapResource(accountSid, m));
      return json(200, listEnvelopeV1('maps', `${serviceUrl(service.sid)}/Maps`, [], page, slice, resources));
    })
    .post('/v1/Services/:ServiceSid/Maps', (req) => {
      const service = services.resolve(req.params.ServiceSid);
      const map = maps.create(service, { uniqueName: req.form.get('UniqueName') || null, ttl: readTtl(req.form, 'CollectionTtl', 'Ttl') });
      return json(201, mapResource(accountSid, map));
    })
    .get('/v1/Services/:ServiceSid/Maps/:Sid', (req) => json(200, mapResource(accountSid, mapOf(req))))
    .post('/v1/Services/:ServiceSid/Maps/:Sid', (req) => {
      const map = mapOf(req);
      maps.update(map, readTtl(req.form, 'CollectionTtl', 'Ttl'));
      return json(200, mapResource(accountSid, map));
    })
    .delete('/v1/Services/:ServiceSid/Maps/:Sid', (req) => {
      const service = services.resolve(req.params.ServiceSid);
      maps.remove(service, maps.resolve(service, req.params.Sid));
      return noContent;
    })

    .get('/v1/Services/:ServiceSid/Maps/:MapSid/Items', (req) => {
      const map = mapOf(req);
      const page = readPageRequest(req.query, MAX_PAGE_SIZE_V1);
      const order = readOrder(req.query.get('Order'));
      const bounds = req.query.get('Bounds') ?? 'inclusive';
      if (bounds !== 'inclusive' && bounds !== 'exclusive') throw badRequest(20001, `Invalid Bounds: ${bounds}`);
      const matching = items.list(map, { order, from: req.query.get('From'), inclusive: bounds === 'inclusive' });
      const direction = order === 'asc' ? 1 : -1;
      const slice = slicePage(
        matching,
        page,
        (i) => i.key,
        (i, cursor) => direction * (i.key < cursor ? -1 : i.key > cursor ? 1 : 0),
      );
      const resources = slice.items.map((i) => itemResource(accountSid, map, i));
      const filters = pickFilters(req.query, ['Order', 'From', 'Bounds']);
      return json(200, listEnvelopeV1('items', `${mapUrl(map)}/Items`, filters, page, slice, resources));
    })
    .post('/v1/Services/:ServiceSid/Maps/:MapSid/Items', (req) => {
      const map = mapOf(req);
      const data = parseItemData(req.form.get('Data'));
      const itemTtl = readTtl(req.form, 'ItemTtl', 'Ttl');
      const collectionTtl = readTtl(req.form, 'CollectionTtl');
      const item = items.create(map, req.form.get('Key') ?? '', data, itemTtl);
      if (collectionTtl !== undefined) maps.setCollectionTtl(map, collectionTtl);
      return withETag(201, accountSid, map, item);
    })
    .get('/v1/Services/:ServiceSid/Maps/:MapSid/Items/:Key', (req) => {
      const map = mapOf(req);
      return withETag(200, accountSid, map, items.get(map, req.params.Key));
    })
    .post('/v1/Services/:ServiceSid/Maps/:MapSid/Items/:Key', (req) => {
      const map = mapOf(req);
      const rawData = req.form.get('Data');
      const itemTtl = readTtl(req.form, 'ItemTtl', 'Ttl');
      const collectionTtl = readTtl(req.form, 'CollectionTtl');
      if (rawData === null && itemTtl === undefined) {
        throw badRequest(54010, 'No parameters specified: expected Data, Ttl or ItemTtl');
      }
      const item = items.update(map, req.params.Key, {
        data: rawData === null ? undefined : parseItemData(rawData),
        itemTtl,
        ifMatch: ifMatch(req),
      });
      if (collectionTtl !== undefined) maps.setCollectionTtl(map, collectionTtl);
      return withETag(200, accountSid, map, item);
    })
    .delete('/v1/Services/:ServiceSid/Maps/:MapSid/Items/:Key', (req) => {
      const map = mapOf(req);
      items.remove(map, req.params.Key, ifMatch(req));
      return noContent;
    });

  return { subdomain: 'sync', router };
}

function readOrder(raw: string | null): ItemOrder {
  if (raw === null || raw === 'asc') return 'asc';
  if (raw === 'desc') return 'desc';
  throw badRequest(20001, `Invalid Order: ${raw} (asc or desc)`);
}
