import { isTwilioRestError } from '../errors/twilio-errors';

/** Twilio Sync error codes the stores react to. */
export const SYNC = {
  itemNotFound: 54201,
  mapNotFound: 54200,
  itemExists: 54208,
  revisionMismatch: 54205,
  uniqueNameExists: 54301,
  rateLimited: 54009,
} as const;

export const hasCode = (error: unknown, ...codes: number[]): boolean =>
  isTwilioRestError(error) && error.code !== undefined && codes.includes(error.code);

export const isMapMissing = (error: unknown): boolean =>
  hasCode(error, SYNC.mapNotFound) || (isTwilioRestError(error) && error.status === 404 && error.code === 20404);
