import { randomBytes } from 'node:crypto';
import type { VerbHandler } from '../walk-context';
import { actionRequest } from './action';

/**
 * `<Pay paymentConnector chargeAmount action method>`: the caller "enters" a card and the
 * connector answers the script's `payResult` (default success). A charge (chargeAmount > 0)
 * returns PaymentConfirmationCode, a tokenization (no / zero chargeAmount) PaymentToken. Card data
 * is never posted except masked, as Twilio does (https://www.twilio.com/docs/voice/twiml/pay).
 * Without an action the call continues with the next verb (the sandbox's choice).
 */
export const pay: VerbHandler = (step, ctx, element) => {
  const result = ctx.script.payResult;
  const charge = Number(element.attributes.chargeAmount ?? '0') > 0;
  const params: Record<string, string> = {
    Result: result,
    PaymentCardType: 'visa',
    PaymentCardNumber: 'xxxxxxxxxxxx1111',
    ExpirationDate: '1230',
    PaymentCardPostalCode: '',
  };
  if (result === 'success') {
    if (charge) params.PaymentConfirmationCode = `ch_sandbox_${randomBytes(8).toString('hex')}`;
    else params.PaymentToken = `tok_sandbox_${randomBytes(8).toString('hex')}`;
  } else {
    params.PaymentError = result;
  }
  step.outcome = {
    result,
    transaction: charge ? 'charge' : 'tokenize',
    ...(params.PaymentConfirmationCode ? { confirmationCode: params.PaymentConfirmationCode } : {}),
  };
  if (element.attributes.action === undefined) return { kind: 'next' };
  return actionRequest(ctx, element, params);
};
