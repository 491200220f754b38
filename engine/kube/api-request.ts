// Plain GETs on the API server for what client-node's typed clients do not cover (discovery, any
// custom resource), with the kubeconfig's credentials, and lists that page the way "API concepts:
// Retrieving large results sets in chunks" asks: ?limit= and ?continue= from one snapshot, listing
// again from the start when the snapshot has expired (410 Expired on a continue token).
import http from 'node:http';
import https from 'node:https';
import type { KubeClients } from './client.ts';

export interface ObjectList<T = Record<string, unknown>> {
  items: T[];
  metadata?: { resourceVersion?: string; continue?: string };
}

/** Rejects like client-node's ApiException (code and body), so apiErrorText() explains it. */
function apiError(code: number, body: string): Error {
  return Object.assign(new Error(`HTTP ${code}`), { code, body });
}

export async function getJson<T>(clients: KubeClients, path: string, signal?: AbortSignal): Promise<T> {
  const url = new URL(path, clients.server.replace(/\/?$/, '/'));
  const options: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  await clients.kc.applyToHTTPSOptions(options);
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise<T>((resolve, reject) => {
    const request = transport.request(url, { ...options, signal }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((response.statusCode ?? 500) >= 400) return reject(apiError(response.statusCode ?? 500, text));
        try {
          resolve(JSON.parse(text) as T);
        } catch (e) {
          reject(new Error(`the API server answered ${path} with something that is not JSON: ${(e as Error).message}`));
        }
      });
    });
    request.on('error', reject);
    request.end();
  });
}

const PAGE = 500;

/** Every item of a collection, in chunks of 500 from one snapshot. */
export async function listAll<T = Record<string, unknown>>(clients: KubeClients, path: string, signal?: AbortSignal): Promise<ObjectList<T>> {
  for (let attempt = 1; ; attempt++) {
    const items: T[] = [];
    let token: string | undefined;
    let resourceVersion: string | undefined;
    try {
      do {
        const separator = path.includes('?') ? '&' : '?';
        const page = await getJson<ObjectList<T>>(clients, `${path}${separator}limit=${PAGE}${token ? `&continue=${encodeURIComponent(token)}` : ''}`, signal);
        items.push(...page.items);
        resourceVersion ??= page.metadata?.resourceVersion;
        token = page.metadata?.continue || undefined;
      } while (token);
      return { items, metadata: { resourceVersion } };
    } catch (e) {
      // The snapshot the first page saw was compacted away: start over for a consistent list.
      if ((e as { code?: number }).code === 410 && attempt < 3) continue;
      throw e;
    }
  }
}
