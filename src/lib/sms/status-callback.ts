import { badRequest } from '../errors/app-error';
import { optionalString, requiredString, type Params } from '../http/params';
import { readAddress } from '../outbound/address';
import { cancelScheduled, type GateContext } from '../outbound/gate';
import { recordOwnOptOut } from '../consent/change';
import { isMessageStatus, type MessageStatus } from './status';

export interface StatusCallback {
  sid: string;
  to: string;
  status: MessageStatus;
  errorCode?: number;
  /** False when we sent it to a recipient someone outside chose (`?resend=no` on our callback URL). */
  resendable: boolean;
  /** The campaign it belongs to (`?campaign=` on our callback URL). */
  campaign?: string;
}

/** Reads Twilio's status callback (MessageSid, MessageStatus, To, ErrorCode). */
export function readStatusCallback(params: Params): StatusCallback {
  const sid = requiredString(params, 'MessageSid', { maxLength: 64 });
  const status = requiredString(params, 'MessageStatus', { maxLength: 32 }).toLowerCase();
  if (!isMessageStatus(status)) throw badRequest('invalid_parameter', `"MessageStatus" ${status} is not a Twilio message status`);
  const code = optionalString(params, 'ErrorCode', { maxLength: 10 });
  const errorCode = code === undefined || code === '0' ? undefined : Number(code);
  if (errorCode !== undefined && !Number.isInteger(errorCode)) throw badRequest('invalid_parameter', '"ErrorCode" must be a number');
  const campaign = optionalString(params, 'campaign', { maxLength: 34 });
  return {
    sid,
    to: optionalString(params, 'To', { maxLength: 64 }) ?? '',
    status,
    errorCode,
    resendable: optionalString(params, 'resend', { maxLength: 8 }) !== 'no',
    ...(campaign && /^CP[0-9a-f]{32}$/.test(campaign) ? { campaign } : {}),
  };
}

/**
 * A delivery that failed with 21610 means the person opted out with the carrier (or with
 * Twilio): remembered for that channel (its history too, beside), and the re-sends still scheduled to them are canceled.
 */
export async function rememberCarrierOptOut(context: GateContext, callback: StatusCallback): Promise<void> {
  if (callback.errorCode !== 21610 || !callback.to) return;
  const { channel, number } = readAddress(callback.to);
  await recordOwnOptOut(context.stores, channel, number, { source: 'twilio-21610' });
  await cancelScheduled(context, channel, number, 'all');
}
