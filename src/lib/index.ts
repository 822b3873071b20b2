/**
 * The shared logic, bundled into ONE self-contained private asset (`/comms.js`).
 * Functions load it with `require(Runtime.getAssets()['/comms.js'].path)` and use only what
 * is exported here.
 */

// The frame every route uses.
export { AppError } from './errors/app-error';
export { json, twiml, csv, binary, type Reply } from './http/reply';
export { optionalString, readLimit, requiredPhone, requiredString, type Params } from './http/params';
export { apiAction, browserAction, idempotentAction, publicAction, twilioWebhook, type RouteInput } from './runtime/route';
export { allInOrder } from './runtime/all-in-order';
export { voiceWebhook } from './voice/webhook';
export { APP_VERSION } from './version';

// The outbound gate: every message and call we originate is cleared here first.
export {
  clearRecipient,
  clearAndSend,
  clearOrSchedule,
  sendMessage,
  placeCall,
  rememberScheduled,
  cancelScheduledAfterOptOut,
} from './outbound/gate';
export { afterAccepted } from './outbound/after-accepted';
export { readPurpose } from './outbound/purpose';
export { readAddress, twilioAddress } from './outbound/address';
export { describeConsent } from './stores/consent';
export { readConsentChange, recordConsentChange } from './consent/change';
export { confirmConsentChange } from './consent/confirmation';
export { consentState } from './consent/state';
export { exportConsentPage } from './consent/export';
export { readConsentDays } from './consent/days';

// SMS and messaging.
export { normalizePhone } from './phone/e164';
export { inboundMessageWebhook, answerSms, answerWhatsApp, SECOND_CHANCES } from './messaging/inbound-webhook';
export { noReply } from './messaging/replies';
export { readSendRequest } from './sms/send-request';
export { readStatusCallback, rememberCarrierOptOut } from './sms/status-callback';
export { recordStatusCountingOnce, isFailed } from './sms/outcomes';
export { alertOnLowDeliveryRate, alertOnSilentFiltering } from './sms/delivery-alert';
export { readDeliveryHours, readHours } from './dashboard/delivery-hours';
export { readDeliveryStats } from './sms/silent-filtering';
export { retryTransientFailure } from './sms/delivery-retry';
export { explainDeliveryError } from './messaging/delivery-errors';

// Conversations: one thread per customer across SMS, WhatsApp and chat.
export { answerConversationEvent } from './conversations/events';
export { readInbox } from './conversations/inbox';
export { replyInThread, startThread, closeThread } from './conversations/actions';
export { REPLY_IDEMPOTENCY } from './conversations/lost-replies';

// Campaigns.
export { readCampaignRequest, readCampaignId, planCampaign, newCampaignRecord, openCampaign } from './campaigns/campaign';
export { readPage, addPage } from './campaigns/recipients';
export { runCampaign } from './campaigns/run';
export { campaignStatus, listCampaigns, readListState, listRecipients, cancelCampaign } from './campaigns/status';

// Verify.
export { readCheckRequest, readStartRequest } from './verify/destination';
export { chooseChannel, enforceLimits, enforceLinePolicy, readLimits, sendCode } from './verify/start';
export { checkCode, concealCheckVerdict } from './verify/check';
export { handleForStart } from './verify/handle';
export { countRefusalsAs, readVerifyStats } from './verify/stats';
export { concealLineVerdict } from './verify/line-policy';

// WhatsApp.
export { readWhatsAppSend } from './whatsapp/send-request';
export { chooseSendPath } from './whatsapp/send-path';

// Voice.
export { ivrConfig, fallbackVoicemail } from './voice/ivr-asset';
export { menuPrompt, voicemailPrompt, goodbye } from './voice/twiml';
export { readMenuState, routeChoice, afterDial } from './voice/ivr';
export { readRecording, keepTranscription, readCallStatus, notifyVoicemail } from './voice/callbacks';
export { payActionAt, payPrompt, payResult, setRecording } from './voice/pay';
export { readCallRequest, outboundCall, reminderAnswer } from './voice/outbound';
export { voicemailAudio } from './voice/voicemail-audio';

// The kill switch: Twilio Usage Triggers pause non-essential sends.
export { readUsageTriggerCallback, pauseForTrigger, resumeSending, describePause } from './usage/kill-switch';

// Access Tokens for client SDKs.
export { mintAccessToken, readTokenRequest } from './tokens/access-token';

// Privacy: retention and erasure.
export { runRetention } from './retention/retention';
export { eraseNumber } from './retention/erasure';
