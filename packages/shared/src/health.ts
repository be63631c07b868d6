/**
 * `GET /healthz`: the process is alive. `GET /readyz`: every dependency answers (MongoDB, NATS),
 * so the load balancer may send traffic. The same plain handler serves every service.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ReadinessProbe = () => Promise<Readonly<Record<string, boolean>>>;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Answers a health request and returns true, or returns false for any other request. */
export function handleHealthRequest(req: IncomingMessage, res: ServerResponse, probe: ReadinessProbe): boolean {
  const path = (req.url ?? '').split('?')[0];
  if (req.method !== 'GET' || (path !== '/healthz' && path !== '/readyz')) return false;
  if (path === '/healthz') {
    sendJson(res, 200, { status: 'ok' });
    return true;
  }
  probe().then(
    (checks) => {
      const ready = Object.values(checks).every(Boolean);
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks });
    },
    (error: unknown) => {
      sendJson(res, 503, { status: 'not_ready', error: error instanceof Error ? error.message : String(error) });
    },
  );
  return true;
}
