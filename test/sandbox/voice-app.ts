import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceivedRequest } from './helpers';

export type TwimlRoute =
  | string
  | { status?: number; contentType?: string; body: string; delayMs?: number }
  | ((params: Record<string, string>) => string | Promise<string>);

export interface VoiceApp {
  url: string;
  requests: ReceivedRequest[];
  routes: Record<string, TwimlRoute>;
  close(): Promise<void>;
}

/** A TwiML app on an ephemeral port: answers each path from `routes` (404 otherwise) and records requests. */
export async function startVoiceApp(routes: Record<string, TwimlRoute> = {}): Promise<VoiceApp> {
  const app: VoiceApp = { url: '', requests: [], routes, close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', app.url);
      const params = req.method === 'GET' ? Object.fromEntries(url.searchParams) : Object.fromEntries(new URLSearchParams(body));
      app.requests.push({ method: req.method ?? '', url: `${app.url}${req.url ?? '/'}`, headers: req.headers, body, params });
      const route = app.routes[url.pathname];
      const answer = (status: number, contentType: string, text: string): void => {
        res.writeHead(status, { 'Content-Type': contentType }).end(text);
      };
      if (route === undefined) return answer(404, 'text/plain', 'not found');
      if (typeof route === 'string') return answer(200, 'text/xml', route);
      if (typeof route === 'function') {
        Promise.resolve(route(params)).then(
          (twiml) => answer(200, 'text/xml', twiml),
          (error: Error) => answer(500, 'text/plain', error.message),
        );
        return;
      }
      setTimeout(() => answer(route.status ?? 200, route.contentType ?? 'text/xml', route.body), route.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  app.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return app;
}
