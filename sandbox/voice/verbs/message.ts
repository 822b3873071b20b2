import { startOutboundLifecycle } from '../../api/message-lifecycle';
import { countSegments } from '../../api/segments';
import { isElement, ownText } from '../../twiml/xml';
import { otherParty, ownNumber, type VerbHandler } from '../walk-context';

/**
 * `<Message to from statusCallback>` during a call: an SMS from the account's number on the call
 * to the other party (unless `to` / `from` say otherwise), with the normal message lifecycle.
 */
export const message: VerbHandler = (step, ctx, element) => {
  let body = ownText(element);
  for (const child of element.children) if (isElement(child) && child.name === 'Body') body += ownText(child);
  body = body.trim();
  const to = element.attributes.to ?? otherParty(ctx.call);
  const created = ctx.deps.messages.add({
    direction: 'outbound-reply',
    to,
    from: element.attributes.from ?? ownNumber(ctx.call),
    body,
    mediaUrls: [],
    messagingServiceSid: null,
    statusCallback: element.attributes.statusCallback ?? element.attributes.action ?? null,
    numSegments: countSegments(body),
    status: 'queued',
  });
  startOutboundLifecycle(created, ctx.deps.lifecycle);
  ctx.call.transcript.messages.push({ sid: created.sid, from: created.from, to: created.to, body: created.body });
  step.outcome = { messageSid: created.sid };
  return { kind: 'next' };
};
