import type { PhoneNumberStore } from '../api/incoming-phone-numbers';
import type { AdvancedOptOutStore, KeywordGroup } from '../messaging/advanced-opt-out';
import { json, type Router } from '../http/router';
import {
  CAMPAIGN_STATUSES,
  TOLLFREE_STATUSES,
  type CampaignStatus,
  type SenderCompliance,
  type TollfreeStatus,
} from '../messaging/sender-compliance';
import type { MessagingServiceStore } from '../messaging/services';
import { ControlError, parseJsonObject } from './errors';

export interface ComplianceControlDeps {
  compliance: SenderCompliance;
  services: MessagingServiceStore;
  phoneNumbers: PhoneNumberStore;
  advancedOptOut: AdvancedOptOutStore;
}

function keywordGroup(value: unknown, name: string): KeywordGroup | undefined {
  if (value === undefined || value === null) return undefined;
  const group = value as { keywords?: unknown; reply?: unknown };
  const keywords = group.keywords ?? [];
  if (
    typeof value !== 'object' ||
    !Array.isArray(keywords) ||
    !keywords.every((k): k is string => typeof k === 'string' && /^[\p{L}\p{N}]{1,32}$/u.test(k)) ||
    (group.reply !== undefined && (typeof group.reply !== 'string' || group.reply.length === 0 || group.reply.length > 1600))
  ) {
    throw new ControlError(400, 'invalid_request', `"${name}" must be { keywords: ["ARRET"], reply?: "…" } (single words)`);
  }
  return { keywords, ...(typeof group.reply === 'string' ? { reply: group.reply } : {}) };
}

function statusOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T | null {
  if (value === null) return null;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ControlError(400, 'invalid_request', `"${name}" must be null or one of ${allowed.join(', ')}`);
}

/**
 * `GET /_sandbox/messaging/registrations`: each Messaging Service's US A2P campaign status and each
 * toll-free number's verification status. `POST` the same path with
 * `{ serviceSid, campaignStatus }` (PENDING, IN_PROGRESS, VERIFIED, FAILED, or null: no campaign)
 * or `{ phoneNumber, tollfreeStatus }` (PENDING_REVIEW, IN_REVIEW, TWILIO_APPROVED,
 * TWILIO_REJECTED, or null: never submitted) changes them and answers like GET.
 * `/_sandbox/messaging/advanced-opt-out` sets a Messaging Service's Advanced Opt-Out keywords and replies.
 */
export function addComplianceRoutes(router: Router, deps: ComplianceControlDeps): void {
  const { compliance } = deps;
  router
    .get('/messaging/registrations', () => json(200, compliance.snapshot()))
    .post('/messaging/registrations', (req) => {
      const body = parseJsonObject(req.rawBody);
      if ('campaignStatus' in body) {
        const sid = body.serviceSid;
        if (typeof sid !== 'string' || !deps.services.has(sid))
          throw new ControlError(404, 'unknown_service', `No Messaging Service ${String(sid)}`);
        compliance.setCampaignStatus(sid, statusOf<CampaignStatus>(body.campaignStatus, CAMPAIGN_STATUSES, 'campaignStatus'));
      } else if ('tollfreeStatus' in body) {
        const number = typeof body.phoneNumber === 'string' ? deps.phoneNumbers.byPhoneNumber(body.phoneNumber) : undefined;
        if (!number) throw new ControlError(404, 'unknown_number', `${String(body.phoneNumber)} is not a phone number of this account`);
        compliance.setTollfreeStatus(number, statusOf<TollfreeStatus>(body.tollfreeStatus, TOLLFREE_STATUSES, 'tollfreeStatus'));
      } else {
        throw new ControlError(400, 'invalid_request', 'Give { serviceSid, campaignStatus } or { phoneNumber, tollfreeStatus }');
      }
      return json(200, compliance.snapshot());
    })
    // Advanced Opt-Out: `{ serviceSid, optOut?, optIn?, help? }`, each `{ keywords: [...], reply? }`.
    .get('/messaging/advanced-opt-out', () => json(200, { services: deps.advancedOptOut.all() }))
    .post('/messaging/advanced-opt-out', (req) => {
      const body = parseJsonObject(req.rawBody);
      const sid = body.serviceSid;
      if (typeof sid !== 'string' || !deps.services.has(sid))
        throw new ControlError(404, 'unknown_service', `No Messaging Service ${String(sid)}`);
      deps.advancedOptOut.set(sid, {
        optOut: keywordGroup(body.optOut, 'optOut'),
        optIn: keywordGroup(body.optIn, 'optIn'),
        help: keywordGroup(body.help, 'help'),
      });
      return json(200, { services: deps.advancedOptOut.all() });
    });
}
