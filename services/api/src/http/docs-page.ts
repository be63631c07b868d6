/** `/docs`: the API reference as one self-contained HTML page, rendered from the catalogue. */
import { z } from 'zod';
import { ROUTES } from './catalogue';

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function fields(schema: z.ZodType | undefined): string {
  if (schema === undefined) return '';
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  const properties = typeof json.properties === 'object' ? Object.keys(json.properties) : [];
  return properties.length === 0 ? '' : `<code>${properties.map(escape).join(', ')}</code>`;
}

export function renderDocsPage(): string {
  const rows = Object.values(ROUTES)
    .map(
      (spec) => `<tr><td class="m">${spec.method.toUpperCase()}</td><td><code>${escape(spec.path)}</code></td>` +
        `<td>${escape(spec.auth)}</td><td>${fields(spec.query)}</td><td>${fields(spec.body)}</td>` +
        `<td>${escape(spec.summary)}<br><small>${Object.keys(spec.responses).join(', ')}</small></td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Talk API</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem;max-width:90rem}table{border-collapse:collapse}
td,th{border-bottom:1px solid #ddd;padding:.4rem .6rem;vertical-align:top;text-align:left}.m{font-weight:600}</style></head>
<body><h1>Talk API v1.0</h1>
<p>Machine-readable: <a href="/v1.0/openapi.json">/v1.0/openapi.json</a> (OpenAPI 3.1). Agents authenticate with
<code>?token=</code> or <code>Authorization: Bearer</code>; errors are <code>{"error": {status, code, message, request_id}}</code>.
Live events: WebSocket <code>/v1.0/ws?token=…</code>.</p>
<table><tr><th>method</th><th>path</th><th>auth</th><th>query</th><th>body</th><th>what it does</th></tr>
${rows}
</table></body></html>`;
}
