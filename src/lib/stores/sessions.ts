import type { SyncMapStore } from './sync-map-store';

/** WhatsApp's customer-service window: 24 hours from the user's last message to us. */
export const SESSION_WINDOW_SECONDS = 24 * 3_600;

export interface Session {
  /** When the user last wrote to us (ISO). */
  lastInboundAt: string;
  profileName?: string;
}

/**
 * Open WhatsApp windows, one item per user with a 24-hour TTL that every inbound message renews:
 * Sync removes the item when the window closes, so an item that exists is an open window.
 */
export class SessionStore {
  constructor(private readonly map: SyncMapStore<Session>) {}

  /** A blind write: the latest message renews the window. Most messages come inside an open window, so an overwrite is tried first. */
  async open(user: string, profileName: string | undefined, now = new Date()): Promise<void> {
    await this.map.put(user, { lastInboundAt: now.toISOString(), ...(profileName ? { profileName } : {}) }, { likely: 'present' });
  }

  /** The open window of a user, if any (double-checked against its time: Sync expiry may lag). */
  async current(user: string, now = new Date()): Promise<Session | undefined> {
    const session = (await this.map.get(user))?.data;
    if (!session) return undefined;
    const age = now.getTime() - new Date(session.lastInboundAt).getTime();
    return age < SESSION_WINDOW_SECONDS * 1000 ? session : undefined;
  }
}
