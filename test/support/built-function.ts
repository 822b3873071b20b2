import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FUNCTIONS_DIR, SHARED_ASSET, SHARED_ASSET_FILE } from '../../local/layout';

/** The runtime's Response, as much of it as a handler uses. */
export class FakeResponse {
  statusCode = 200;
  body: unknown;
  headers: Record<string, string> = {};
  setStatusCode(code: number) {
    this.statusCode = code;
    return this;
  }
  setBody(body: unknown) {
    this.body = body;
    return this;
  }
  appendHeader(key: string, value: string) {
    this.headers[key] = value;
    return this;
  }
}

/** A built Function's `handler`, as the runtime calls it. */
type BuiltHandler = (
  context: Record<string, string>,
  event: Record<string, unknown>,
  callback: (error: null, response: FakeResponse) => void,
) => void;

/**
 * Runs one built Function (`dist/functions/<name>.js`) the way the runtime does, with the shared
 * asset found at `assetPath` (the built one by default): no server, no gateway in front, so the
 * event is exactly what the test gives.
 */
export function invokeBuilt(
  name: string,
  context: Record<string, string>,
  event: Record<string, unknown>,
  assetPath = SHARED_ASSET_FILE,
): Promise<FakeResponse> {
  const globals = globalThis as Record<string, unknown>;
  globals.Runtime = { getAssets: () => ({ [SHARED_ASSET]: { path: assetPath, open: () => readFileSync(assetPath, 'utf8') } }) };
  globals.Twilio = { ...require('twilio'), Response: FakeResponse };
  return new Promise<FakeResponse>((resolve) => {
    jest.isolateModules(() => {
      const { handler } = require(path.join(FUNCTIONS_DIR, `${name}.js`)) as { handler: BuiltHandler };
      handler(context, event, (_error: null, response: FakeResponse) => resolve(response));
    });
  }).finally(() => {
    delete globals.Runtime;
    delete globals.Twilio;
  });
}
