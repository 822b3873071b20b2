import { resourceNotFound } from '../http/errors';
import { listEnvelopeV1, readPageRequest, slicePage } from '../http/paging';
import { json, noContent, Router, type ApiRequest, type TwilioHost } from '../http/router';
import { CONTENT_BASE_URL, contentResource, parseCreateContent, type ContentRecord, type ContentStore } from './templates';

export interface ContentHostDeps {
  accountSid: string;
  contents: ContentStore;
}

/** Content v1's maximum PageSize (the spec: 1–1000). */
const MAX_PAGE_SIZE = 1000;

/** content.twilio.com: Content templates (create, list, fetch, delete). */
export function contentHost(deps: ContentHostDeps): TwilioHost {
  const { accountSid, contents } = deps;

  const find = (req: ApiRequest): ContentRecord => {
    const content = contents.get(req.params.Sid);
    if (!content) throw resourceNotFound(req.path);
    return content;
  };

  const router = new Router()
    .post('/v1/Content', (req) => json(201, contentResource(accountSid, contents.add(parseCreateContent(req.rawBody)))))
    .get('/v1/Content', (req) => {
      const page = readPageRequest(req.query, MAX_PAGE_SIZE);
      const slice = slicePage(
        contents.all(),
        page,
        (c) => String(c.seq),
        (c, cursor) => c.seq - Number(cursor),
      );
      const resources = slice.items.map((c) => contentResource(accountSid, c));
      return json(200, listEnvelopeV1('contents', `${CONTENT_BASE_URL}/Content`, [], page, slice, resources));
    })
    .get('/v1/Content/:Sid', (req) => json(200, contentResource(accountSid, find(req))))
    .delete('/v1/Content/:Sid', (req) => {
      contents.delete(find(req).sid);
      return noContent;
    });

  return { subdomain: 'content', router };
}
