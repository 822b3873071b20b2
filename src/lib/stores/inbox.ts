import type { SyncMapStore } from './sync-map-store';

interface InboundMedia {
  url: string;
  contentType?: string;
}

export interface InboundMessage {
  sid: string;
  /** As Twilio gives it: `+E164` for SMS, `whatsapp:+E164` for WhatsApp. */
  from: string;
  to: string;
  body: string;
  media: InboundMedia[];
  receivedAt: string;
  /** The WhatsApp user's profile name. */
  profileName?: string;
  /** Twilio's `OptOutType` (STOP, START, HELP): the keyword Twilio recognised, its own or one configured in Advanced Opt-Out. */
  optOutType?: string;
}

/** Inbound messages that were not keywords, kept for the team (Sync item TTL expires them). */
export class InboxStore {
  constructor(private readonly map: SyncMapStore<InboundMessage>) {}

  /** Keeps a message once; Twilio retrying the same webhook does not duplicate it. */
  async keep(message: InboundMessage): Promise<void> {
    await this.map.createIfAbsent(message.sid, message);
  }

  async get(sid: string): Promise<InboundMessage | undefined> {
    return (await this.map.get(sid))?.data;
  }
}
