import { advances, isMessageStatus } from '../../../src/lib/sms/status';

describe('message status order', () => {
  it('moves forward through the lifecycle', () => {
    expect(advances(undefined, 'queued')).toBe(true);
    expect(advances('accepted', 'queued')).toBe(true);
    expect(advances('queued', 'sent')).toBe(true);
    expect(advances('sent', 'delivered')).toBe(true);
    expect(advances('delivered', 'read')).toBe(true);
    expect(advances('scheduled', 'canceled')).toBe(true);
  });

  it('never moves back or repeats: a late sent does not overwrite delivered', () => {
    expect(advances('delivered', 'sent')).toBe(false);
    expect(advances('delivered', 'delivered')).toBe(false);
    expect(advances('undelivered', 'sent')).toBe(false);
    expect(advances('read', 'delivered')).toBe(false);
    expect(advances('failed', 'queued')).toBe(false);
  });

  it('lets a delivery receipt correct an earlier undelivered, not the other way round', () => {
    expect(advances('undelivered', 'delivered')).toBe(true);
    expect(advances('delivered', 'undelivered')).toBe(false);
    expect(advances('delivered', 'failed')).toBe(false);
  });

  it('knows Twilio status names only', () => {
    expect(isMessageStatus('delivered')).toBe(true);
    expect(isMessageStatus('DELIVERED')).toBe(false);
    expect(isMessageStatus('toString')).toBe(false);
  });
});
