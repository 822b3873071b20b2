import { callApi } from '../../support/http';
import { phoneBook, textFromPhone } from '../../support/sandbox-phone';
import { stack } from '../../support/stack';
import { match } from '../../support/match';

const uniquePhone = phoneBook('sms-optout');
const optout = (number: string, token?: string | null) =>
  callApi(`${stack().functionsUrl}/sms/optout?number=${encodeURIComponent(number)}`, token === undefined ? {} : { token });

describe('GET /sms/optout', () => {
  it('reports a number that never opted out as subscribed', async () => {
    const phone = uniquePhone();
    expect((await optout(phone)).json).toEqual({ number: phone, optedOut: false });
  });

  it('reports an opt-out with when and how, reading any number format', async () => {
    const phone = uniquePhone();
    await textFromPhone(phone, 'STOP');
    const spaced = `${phone.slice(0, 2)} ${phone.slice(2, 5)} ${phone.slice(5, 8)} ${phone.slice(8)}`;
    const result = await optout(spaced);
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ number: phone, optedOut: true, since: match.stringMatching(/^\d{4}-\d\d-\d\dT/), source: 'keyword' });
  });

  it('refuses an invalid number with 400 and a missing one with 400', async () => {
    expect((await optout('not a number')).json).toMatchObject({ error: { code: 'invalid_phone_number' } });
    const missing = await callApi(`${stack().functionsUrl}/sms/optout`);
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ error: { code: 'missing_parameter' } });
  });

  it('requires the API token', async () => {
    expect((await optout(uniquePhone(), null)).status).toBe(401);
  });
});
