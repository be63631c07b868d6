/**
 * `/docs`: the OpenAPI document rendered by Swagger UI, whose files are served by the API itself
 * from the `swagger-ui-dist` package (no CDN: the page works on a machine without internet). A
 * reader pastes a token from `POST /v1.0/auth/login` into "Authorize" and tries any call; the
 * token stays in the page, never in storage. The page runs no inline script, so its
 * Content-Security-Policy allows scripts from the API's own origin only.
 */
import { dirname, join } from 'node:path';
import type { Express } from 'express';

const SWAGGER_UI = dirname(require.resolve('swagger-ui-dist/package.json'));

/** The files of swagger-ui-dist the page needs; a set, so that `constructor` or `__proto__` is not one of them. */
const ASSETS: ReadonlySet<string> = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Swagger UI sets style attributes on its elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Talk API reference</title>
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: '/v1.0/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  tryItOutEnabled: true,
  persistAuthorization: false,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
});
`;

/** Adds `/docs` and its assets to the app, beside the API (they are not API routes: not in the OpenAPI document). */
export function serveDocs(app: Express): void {
  app.get('/docs', (_req, res) => {
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.type('html').send(PAGE);
  });
  app.get('/docs/assets/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  app.get('/docs/assets/:file', (req, res, next) => {
    const file = req.params.file;
    if (!ASSETS.has(file)) {
      next();
      return;
    }
    res.sendFile(join(SWAGGER_UI, file), { maxAge: '1d' });
  });
}
