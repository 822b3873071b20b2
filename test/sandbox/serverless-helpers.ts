import { TwilioServerlessApiClient } from '@twilio-labs/serverless-api';
import { ACCOUNT_SID, AUTH_TOKEN } from './helpers';

/**
 * serverless-api's own client, its requests to `https://serverless[-upload].twilio.com/v1/…` sent
 * to the sandbox's `/serverless[-upload]/v1/…` instead (a got hook; the HTTPS proxy comes later).
 * Everything else (forms, the multipart uploads made by its form-data, paging, polling) is its own.
 */
export function serverlessApiClient(sandboxUrl: string): TwilioServerlessApiClient {
  const client = new TwilioServerlessApiClient({ username: ACCOUNT_SID, password: AUTH_TOKEN });
  const redirected = client.getClient().extend({
    hooks: {
      beforeRequest: [
        (options) => {
          const match = /^https:\/\/(serverless(?:-upload)?)\.twilio\.com(\/.*)$/.exec(`${options.url.origin}${options.url.pathname}`);
          if (!match) return;
          const url = new URL(`${sandboxUrl}/${match[1]}${match[2]}${options.url.search}`);
          url.username = options.url.username;
          url.password = options.url.password;
          options.url = url;
        },
      ],
    },
  });
  // The client keeps its got instance in a private field; the hook above is the only change.
  return Object.assign(client, { client: redirected });
}

/** A Function as serverless-api takes it (content as text, a file name with an extension). */
export function fn(
  path: string,
  access: 'public' | 'protected' | 'private',
  body = `exports.handler = (c, e, cb) => cb(null, '${path}');`,
) {
  return { name: path.slice(1), path, access, content: body, filePath: `/project/functions${path}.js` };
}

/** A multipart Version upload as the sandbox serves it (Node's FormData, for status and error checks). */
export async function uploadVersion(
  sandboxUrl: string,
  target: { serviceSid: string; kind: 'Functions' | 'Assets'; sid: string },
  fields: { path: string; visibility: string; content: Buffer | string },
  credentials: { accountSid: string; authToken: string } = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.append('Path', fields.path);
  form.append('Visibility', fields.visibility);
  form.append('Content', new Blob([fields.content]), 'file.js');
  const res = await fetch(`${sandboxUrl}/serverless-upload/v1/Services/${target.serviceSid}/${target.kind}/${target.sid}/Versions`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
