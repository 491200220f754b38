// A local HTTP server on 127.0.0.1 (a free port) serving the test pages. The sign-in works like
// BookInfo's: POST /login with username and passwd sets a session cookie and redirects back.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { actionsPage, clockPage, latePage, productPage, squarePage, tallPage } from './pages.ts';

export interface WebServer {
  port: number;
  url(path: string): string;
  close(): Promise<void>;
}

const cookieUser = (req: IncomingMessage) => /(?:^|;\s*)session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const html = (text: string, status = 200) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(text);
  };
  const number = (name: string, fallback: number) => Number(url.searchParams.get(name) ?? fallback);
  switch (url.pathname) {
    case '/tall':
      return html(tallPage());
    case '/productpage': {
      const user = cookieUser(req);
      return html(productPage(user && decodeURIComponent(user)));
    }
    case '/login': {
      if (req.method !== 'POST') return html('use POST', 405);
      const form = await readForm(req);
      const user = form.get('username') ?? '';
      if (!user || !form.get('passwd')) return html('username and passwd are required', 400);
      res.writeHead(302, { location: '/productpage', 'set-cookie': `session=${encodeURIComponent(user)}; Path=/; HttpOnly` });
      return void res.end();
    }
    case '/logout':
      res.writeHead(302, { location: '/productpage', 'set-cookie': 'session=; Path=/; Max-Age=0' });
      return void res.end();
    case '/clock':
      return html(clockPage());
    case '/square':
      return html(squarePage(number('size', 0)));
    case '/late':
      return html(latePage(number('after', 300), url.searchParams.get('text') ?? 'Ready'));
    case '/actions':
      return html(actionsPage());
    default:
      return html('not found', 404);
  }
}

export async function startWebServer(): Promise<WebServer> {
  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((ok, fail) => server.once('listening', ok).once('error', fail));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

// `node --import tsx test/support/web/server.ts` serves until killed and prints its port.
if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startWebServer();
  process.stdout.write(`listening on ${s.port}\n`);
}
