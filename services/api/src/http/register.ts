import type { RequestHandler, Router } from 'express';
import type { RouteSpec } from './catalogue';

/** `/v1.0/talks/{talk_id}` → `/talks/:talk_id`, relative to the `/v1.0` router. */
export function expressPath(spec: Pick<RouteSpec, 'path'>): string {
  return spec.path.replace(/^\/v1\.0/, '').replace(/\{([a-z_]+)\}/g, ':$1');
}

/** The one way to register a route: from its entry in the catalogue. */
export function on(router: Router, spec: RouteSpec, handler: RequestHandler): void {
  router[spec.method](expressPath(spec), handler);
}
