import { classifyConnectTarget, type ConnectRules } from '../../../sandbox/proxy/connect-target';

const rules: ConnectRules = {
  products: new Set(['api', 'sync', 'serverless-upload']),
  isDeployedDomain: (hostname) => hostname === 'twilio-comms-1234-dev.twil.io',
};

describe('classifyConnectTarget', () => {
  it.each([
    ['api.twilio.com:443', 'api'],
    ['API.Twilio.COM:443', 'api'],
    ['api.dublin.ie1.twilio.com:443', 'api'],
    ['sync.us1.twilio.com:443', 'sync'],
    ['api.sydney.au1.twilio.com:443', 'api'],
    ['api.ashburn-ix.us1-ix.twilio.com:443', 'api'],
    ['serverless-upload.twilio.com:443', 'serverless-upload'],
  ])('accepts the Twilio API host %s as /%s', (target, subdomain) => {
    expect(classifyConnectTarget(target, rules)).toEqual({ kind: 'api', hostname: target.split(':')[0].toLowerCase(), subdomain });
  });

  it('accepts a deployed Functions domain, and only that one', () => {
    expect(classifyConnectTarget('twilio-comms-1234-dev.twil.io:443', rules)).toEqual({
      kind: 'site',
      hostname: 'twilio-comms-1234-dev.twil.io',
    });
    expect(classifyConnectTarget('other-9999.twil.io:443', rules)).toMatchObject({ kind: 'refused', status: 403 });
    expect(classifyConnectTarget('a.twilio-comms-1234-dev.twil.io:443', rules)).toMatchObject({ kind: 'refused', status: 403 });
  });

  it.each([
    ['twilio.com:443', 403],
    ['a.b.c.d.twilio.com:443', 403],
    // Only Twilio's edge and region IDs: any other name would make the proxy issue (and keep) a certificate.
    ['api.x1.twilio.com:443', 403],
    ['api.nowhere.us1.twilio.com:443', 403],
    ['api.dublin.nowhere.twilio.com:443', 403],
    ['api.us1.dublin.twilio.com:443', 403],
    ['voice.twilio.com:443', 403],
    ['sync.twilio.com:8443', 403],
    ['10.0.0.1:443', 403],
    ['[2001:db8::1]:443', 403],
    ['evil.com:443', 403],
    ['api.twilio.com:0', 400],
    [':443', 400],
    ['', 400],
    ['api.twilio.com:443/path', 400],
    ['-api.twilio.com:443', 400],
  ])('refuses %s with %i', (target, status) => {
    expect(classifyConnectTarget(target, rules)).toMatchObject({ kind: 'refused', status });
  });
});
