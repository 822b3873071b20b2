import { accountScope } from '../http/account-scope';
import { badRequest, resourceNotFound } from '../http/errors';
import { addAccountRoutes, type AccountState } from './account';
import { SENDER_QUEUE_FULL } from '../messaging/throughput';
import { listEnvelope2010, pickFilters, readPageRequest, slicePage } from '../http/paging';
import { json, Router, type ApiRequest, type TwilioHost } from '../http/router';
import { readDateSentFilter } from './date-sent-filter';
import { phoneNumberResource, phoneNumbersPath, type PhoneNumberStore } from './incoming-phone-numbers';
import type { Clock } from '../clock';
import { parseCreateMessage, type CreateContext } from './message-create';
import { startOutboundLifecycle, type LifecycleDeps } from './message-lifecycle';
import type { MessageScheduler } from './message-scheduler';
import { updateMessage } from './message-update';
import { addMessageMediaRoutes } from './message-media-routes';
import { messageResource, messagesPath, type MessageRecord, type MessageStore } from './messages';
import type { UsageCounters } from '../usage';

export interface ApiHostDeps {
  accountSid: string;
  messages: MessageStore;
  phoneNumbers: PhoneNumberStore;
  lifecycle: LifecycleDeps;
  scheduler: MessageScheduler;
  clock: Clock;
  usage: UsageCounters;
  hasMessagingService: (sid: string) => boolean;
  ownsShortCode?: CreateContext['ownsShortCode'];
  findContent: CreateContext['findContent'];
  optedOut: CreateContext['optedOut'];
  account: AccountState;
}

/** Twilio's maximum PageSize on the 2010 API. */
const MAX_PAGE_SIZE_2010 = 1000;

/** api.twilio.com: Messages (create, fetch, list, cancel/redact, delete, Media), IncomingPhoneNumbers and the Account of the 2010-04-01 API. */
export function apiHost(deps: ApiHostDeps): TwilioHost {
  const { accountSid, messages, phoneNumbers, scheduler } = deps;

  /** Every 2010 route lives under /Accounts/{AccountSid}: it must be this sandbox's account. */
  const forAccount = accountScope(accountSid);

  const findMessage = (req: ApiRequest): MessageRecord => {
    const message = messages.get(req.params.Sid);
    if (!message) throw resourceNotFound(req.path);
    return message;
  };

  const router = new Router()
    .post(
      '/2010-04-01/Accounts/:AccountSid/Messages.json',
      forAccount((req) => {
        const parsed = parseCreateMessage(req.form, {
          ownsNumber: (n) => phoneNumbers.owns(n),
          ownsShortCode: deps.ownsShortCode,
          hasMessagingService: deps.hasMessagingService,
          findContent: deps.findContent,
          now: deps.clock.now(),
          optedOut: deps.optedOut,
        });
        // A direct From send to a sender whose queue is full (enforced throughput): https://www.twilio.com/docs/api/errors/21611
        if (parsed.status === 'queued' && deps.lifecycle.throughput?.senderQueueFull(parsed))
          throw badRequest(SENDER_QUEUE_FULL.code, SENDER_QUEUE_FULL.message);
        const message = messages.add(parsed);
        if (message.status === 'scheduled') scheduler.add(message);
        else startOutboundLifecycle(message, deps.lifecycle);
        deps.usage.count('messages');
        return json(201, messageResource(accountSid, message));
      }),
    )
    .get(
      '/2010-04-01/Accounts/:AccountSid/Messages.json',
      forAccount((req) => {
        const page = readPageRequest(req.query, MAX_PAGE_SIZE_2010);
        const filters = pickFilters(req.query, ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>']);
        const matching = messages.list({
          to: req.query.get('To') ?? undefined,
          from: req.query.get('From') ?? undefined,
          ...readDateSentFilter(req.query),
        });
        // Newest first: an item lies before the cursor when it is newer (higher seq).
        const slice = slicePage(
          matching,
          page,
          (m) => String(m.seq),
          (m, cursor) => Number(cursor) - m.seq,
        );
        const resources = slice.items.map((m) => messageResource(accountSid, m));
        return json(200, listEnvelope2010('messages', `${messagesPath(accountSid)}.json`, filters, page, slice, resources));
      }),
    )
    .get(
      '/2010-04-01/Accounts/:AccountSid/Messages/:Sid.json',
      forAccount((req) => json(200, messageResource(accountSid, findMessage(req)))),
    )
    .post(
      '/2010-04-01/Accounts/:AccountSid/Messages/:Sid.json',
      forAccount((req) => {
        const message = findMessage(req);
        updateMessage(message, req.form, deps.lifecycle);
        return json(200, messageResource(accountSid, message));
      }),
    )
    .get(
      '/2010-04-01/Accounts/:AccountSid/IncomingPhoneNumbers.json',
      forAccount((req) => {
        const page = readPageRequest(req.query, MAX_PAGE_SIZE_2010);
        const filters = pickFilters(req.query, ['PhoneNumber', 'FriendlyName']);
        const numberFilter = req.query.get('PhoneNumber');
        const nameFilter = req.query.get('FriendlyName');
        const ordered = phoneNumbers.all();
        const position = new Map(ordered.map((n, i) => [n.sid, i]));
        const matching = ordered.filter(
          (n) => (!numberFilter || n.phoneNumber.includes(numberFilter)) && (!nameFilter || n.friendlyName === nameFilter),
        );
        const slice = slicePage(
          matching,
          page,
          (n) => n.sid,
          (n, cursor) => (position.get(n.sid) ?? 0) - (position.get(cursor) ?? -1),
        );
        const resources = slice.items.map((n) => phoneNumberResource(accountSid, n));
        return json(
          200,
          listEnvelope2010('incoming_phone_numbers', `${phoneNumbersPath(accountSid)}.json`, filters, page, slice, resources),
        );
      }),
    )
    .get(
      '/2010-04-01/Accounts/:AccountSid/IncomingPhoneNumbers/:Sid.json',
      forAccount((req) => {
        const number = phoneNumbers.get(req.params.Sid);
        if (!number) throw resourceNotFound(req.path);
        return json(200, phoneNumberResource(accountSid, number));
      }),
    )
    .post(
      '/2010-04-01/Accounts/:AccountSid/IncomingPhoneNumbers/:Sid.json',
      forAccount((req) => {
        const number = phoneNumbers.get(req.params.Sid);
        if (!number) throw resourceNotFound(req.path);
        phoneNumbers.update(number, req.form);
        return json(200, phoneNumberResource(accountSid, number));
      }),
    );
  addMessageMediaRoutes(router, { accountSid, messages });
  addAccountRoutes(router, deps.account);

  return { subdomain: 'api', router };
}
