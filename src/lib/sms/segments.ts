import { SegmentedMessage } from 'sms-segments-calculator';

export interface BodyMeasure {
  segments: number;
  encoding: 'GSM-7' | 'UCS-2';
  characters: number;
}

/** Segments and encoding as Twilio counts them (Twilio's own calculator, Smart Encoding optional). */
export function measureBody(body: string, smartEncoding = false): BodyMeasure {
  const message = new SegmentedMessage(body, 'auto', smartEncoding);
  return { segments: message.segmentsCount, encoding: message.encodingName, characters: message.numberOfCharacters };
}
