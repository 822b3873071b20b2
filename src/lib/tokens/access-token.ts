import { refuseBroken, type Settings } from '../config/settings';
import { AppError, badRequest } from '../errors/app-error';
import { optionalString, requiredString, type Params } from '../http/params';
import { twilioSdk } from '../twilio/sdk';
import { CLIENT_IDENTITY_RULE, isClientIdentity } from '../voice/client-identity';

/** Access Tokens live 10 minutes by default, an hour at most: a leaked one is short-lived. */
const DEFAULT_TTL_SECONDS = 600;
const MAX_TTL_SECONDS = 3600;
const MIN_TTL_SECONDS = 60;

interface TokenRequest {
  /** Who the client is, as your backend vouches (this route trusts its caller, an API action). */
  identity: string;
  ttl: number;
}

/** `{ identity, ttl? }` for POST /token. */
export function readTokenRequest(params: Params): TokenRequest {
  const identity = requiredString(params, 'identity', { maxLength: 121 });
  // Voice routes a call to `client:<identity>`, so the identity follows the client rule the IVR's dial uses.
  if (!isClientIdentity(identity)) throw badRequest('invalid_parameter', `"identity" may hold ${CLIENT_IDENTITY_RULE}`);
  const ttlText = optionalString(params, 'ttl', { maxLength: 5 });
  const ttl = ttlText === undefined ? DEFAULT_TTL_SECONDS : Number(ttlText);
  if (!Number.isInteger(ttl) || ttl < MIN_TTL_SECONDS || ttl > MAX_TTL_SECONDS) {
    throw badRequest('invalid_parameter', `"ttl" must be a whole number of seconds from ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS}`);
  }
  return { identity, ttl };
}

interface MintedToken {
  token: string;
  identity: string;
  expiresAt: string;
  grants: Array<'voice' | 'sync' | 'chat'>;
}

/**
 * A Twilio Access Token (twilio's `jwt.AccessToken`), signed with the API key, carrying only the
 * grants configured: Voice with TWIML_APP_SID, Sync for CLIENT_SYNC_SERVICE_SID, Chat (the
 * Conversations SDK) for CONVERSATIONS_SERVICE_SID. Refused without
 * an API key (Twilio signs client tokens with key secrets only) or without any grant to give.
 */
export function mintAccessToken(settings: Settings, request: TokenRequest, now = Date.now()): MintedToken {
  refuseBroken(settings, ['API_KEY', 'API_SECRET', 'ACCOUNT_SID'], 'POST /token');
  const { accountSid, apiKey, apiSecret } = settings;
  if (!apiKey || !apiSecret || !accountSid) {
    throw new AppError(503, 'not_configured', 'POST /token signs with an API key: set API_KEY and API_SECRET (and ACCOUNT_SID)');
  }
  const { twimlAppSid, syncServiceSid } = settings.accessTokens;
  const conversationsServiceSid = settings.conversations.serviceSid;
  if (!twimlAppSid && !syncServiceSid && !conversationsServiceSid) {
    throw new AppError(
      503,
      'not_configured',
      'POST /token has no grant to give: set TWIML_APP_SID (Voice), CLIENT_SYNC_SERVICE_SID (Sync) and/or CONVERSATIONS_SERVICE_SID (Conversations)',
    );
  }
  const { AccessToken } = twilioSdk().jwt;
  const nowSeconds = Math.floor(now / 1000);
  const token = new AccessToken(accountSid, apiKey, apiSecret, { identity: request.identity, ttl: request.ttl, nbf: nowSeconds });
  const grants: MintedToken['grants'] = [];
  if (twimlAppSid) {
    token.addGrant(new AccessToken.VoiceGrant({ outgoingApplicationSid: twimlAppSid, incomingAllow: true }));
    grants.push('voice');
  }
  if (syncServiceSid) {
    token.addGrant(new AccessToken.SyncGrant({ serviceSid: syncServiceSid }));
    grants.push('sync');
  }
  if (conversationsServiceSid) {
    // The Conversations SDK joins with a ChatGrant for the service (https://www.twilio.com/docs/conversations/create-tokens).
    token.addGrant(new AccessToken.ChatGrant({ serviceSid: conversationsServiceSid }));
    grants.push('chat');
  }
  return { token: token.toJwt(), identity: request.identity, expiresAt: new Date((nowSeconds + request.ttl) * 1000).toISOString(), grants };
}
