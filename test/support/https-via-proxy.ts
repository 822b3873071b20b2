import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

export interface ProxiedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTPS request the way a client behind HTTP_PROXY makes it: CONNECT to the sandbox's port,
 * TLS with the sandbox's CA (and nothing else trusted), then the request inside the tunnel.
 */
export function httpsViaProxy(
  proxyUrl: string,
  ca: string,
  url: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<ProxiedAnswer> {
  const target = new URL(url);
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const connect = http.request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: `${target.hostname}:443` });
    connect.once('error', reject);
    connect.once('connect', (answer, socket) => {
      if (answer.statusCode !== 200) {
        socket.destroy();
        return reject(new Error(`CONNECT ${target.hostname}:443 answered ${answer.statusCode}`));
      }
      const request = https.request(
        {
          method,
          host: target.hostname,
          path: `${target.pathname}${target.search}`,
          headers: { host: target.hostname, ...headers, ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }) },
          createConnection: () => tls.connect({ socket, servername: target.hostname, ca }),
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            socket.destroy();
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text });
          });
        },
      );
      request.once('error', reject);
      request.end(body);
    });
    connect.end();
  });
}
