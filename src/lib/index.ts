/**
 * The shared logic, bundled into ONE self-contained private asset (`/comms.js`).
 * Functions load it with `require(Runtime.getAssets()['/comms.js'].path)` and use only what
 * is exported here.
 */

// The frame every route uses.
export { AppError } from './errors/app-error';
export { json, twiml, type Reply } from './http/reply';
export { optionalString, readLimit, requiredString, type Params } from './http/params';
export { apiAction, browserAction, publicAction, twilioWebhook, type RouteInput } from './runtime/route';
export { APP_VERSION } from './version';

// SMS and messaging.
export { normalizePhone } from './phone/e164';
export { classifyKeyword } from './messaging/keywords';
export { readInboundMessage } from './messaging/inbound';
export { consentReply, forwardAndAutoReply, noReply, textReply } from './messaging/replies';
export { readSendRequest } from './sms/send-request';
export { sendMessage } from './messaging/sender';
export { refuseOptedOut, recordCarrierOptOut } from './messaging/consent';
export { readStatusCallback } from './sms/status-callback';
export { countOutcomeOnce, isFailed } from './sms/outcomes';
export { alertOnLowDeliveryRate } from './sms/delivery-alert';
export { retryTransientFailure } from './sms/delivery-retry';

// Verify.
export { readCheckRequest, readStartRequest } from './verify/destination';
export { chooseChannel, enforceDestinationLimit, enforceLinePolicy, enforceRangeBudget, sendCode } from './verify/start';
export { checkCode } from './verify/check';
export { countRefusalsAs, readVerifyStats } from './verify/stats';

// WhatsApp.
export { whatsappAddress } from './whatsapp/address';
export { readWhatsAppSend } from './whatsapp/send-request';
export { chooseSendPath } from './whatsapp/send-path';
export { routeKeyword } from './whatsapp/keyword-router';

// Voice.
export { ivrConfig } from './voice/ivr-asset';
export { menuPrompt, voicemailPrompt, goodbye } from './voice/twiml';
export { readMenuState, routeChoice, afterDial } from './voice/ivr';
export { readRecording, readTranscription, readCallStatus, notifyVoicemail } from './voice/callbacks';
export { payActionAt, payPrompt, payResult, setRecording } from './voice/pay';
export { readCallRequest, placeCall, reminderAnswer } from './voice/outbound';
