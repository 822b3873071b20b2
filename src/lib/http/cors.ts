import { AppError } from '../errors/app-error';

/**
 * Refuses a browser request from an origin that is not listed. Requests without an Origin header
 * (your own servers, curl) are not browser requests and pass.
 */
export function requireAllowedOrigin(origin: string | undefined, allowed: readonly string[]): void {
  if (origin === undefined || allowed.includes(origin)) return;
  throw new AppError(403, 'origin_not_allowed', `Requests from ${origin.slice(0, 200)} are not allowed; add it to ALLOWED_ORIGINS`);
}

/** CORS headers for an allowed origin (none otherwise), so the page can read every answer. */
export function corsHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (origin === undefined || !allowed.includes(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Headers': 'Content-Type, Authorization',
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Expose-Headers': 'Retry-After',
    Vary: 'Origin',
  };
}
