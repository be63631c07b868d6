/**
 * The console's build. `@talk/client` is written for Node and the browser alike except for
 * `randomUUID` from `node:crypto` (the client_message_id of a send): that one import is pointed at
 * the browser's crypto here. The build fails if anything else from Node reaches the bundle.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { firstScreenSize } from './build/first-screen-size.mts';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// Vite reads its configuration from the default export.
// eslint-disable-next-line no-restricted-syntax
export default defineConfig({
  resolve: {
    alias: [
      // The workspace packages' TypeScript sources, as the type-checker sees them (their `dist` is
      // CommonJS for Node), so the bundle is tree-shaken ES modules.
      { find: /^@talk\/(client|shared)\/(.+)$/, replacement: `${here('../../packages')}/$1/src/$2` },
      { find: 'node:crypto', replacement: here('./src/platform/random-uuid.ts') },
    ],
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: true,
    rolldownOptions: {
      // The build's own timing notes are noise in every build log.
      checks: { bundlerTimings: false },
      onLog(level, log, handler) {
        // TanStack Query marks its hooks "use client" for React Server Components; a client-only bundle has no use for it.
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  plugins: [firstScreenSize({ budgetKiB: 250 })],
  server: {
    // `npm run dev -w @talk/console` against `npm run stack` on 8080.
    proxy: { '/v1.0': { target: 'http://127.0.0.1:8080', ws: true } },
  },
});
