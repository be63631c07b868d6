/**
 * Reports what the first screen costs: the gzip size of the JavaScript (and CSS) the entry loads
 * before anything is lazily imported, i.e. the entry chunk and its static imports. Written to
 * dist/bundle-size.json and printed; the build fails past the budget.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export interface BundleSize {
  readonly first_screen_js_gzip_bytes: number;
  readonly first_screen_css_gzip_bytes: number;
  readonly all_js_gzip_bytes: number;
  readonly files: readonly { readonly file: string; readonly gzip_bytes: number; readonly first_screen: boolean }[];
}

const gzipBytes = (content: string | Uint8Array): number => gzipSync(content, { level: 9 }).length;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

export function firstScreenSize(options: { readonly budgetKiB: number }): Plugin {
  return {
    name: 'talk-first-screen-size',
    apply: 'build',
    writeBundle(output, bundle) {
      const chunks = Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [item] : []));
      const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
      const first = new Set<string>();
      const visit = (fileName: string): void => {
        if (first.has(fileName)) return;
        first.add(fileName);
        for (const imported of byName.get(fileName)?.imports ?? []) visit(imported);
      };
      for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);

      const files = Object.values(bundle)
        .filter((item) => item.fileName.endsWith('.js') || item.fileName.endsWith('.css'))
        .map((item) => ({
          file: item.fileName,
          gzip_bytes: gzipBytes(item.type === 'chunk' ? item.code : item.source),
          first_screen: item.fileName.endsWith('.css') || first.has(item.fileName),
        }));
      const sum = (pick: (file: (typeof files)[number]) => boolean): number =>
        files.filter(pick).reduce((total, file) => total + file.gzip_bytes, 0);
      const size: BundleSize = {
        first_screen_js_gzip_bytes: sum((file) => file.first_screen && file.file.endsWith('.js')),
        first_screen_css_gzip_bytes: sum((file) => file.file.endsWith('.css')),
        all_js_gzip_bytes: sum((file) => file.file.endsWith('.js')),
        files,
      };
      writeFileSync(join(output.dir ?? 'dist', 'bundle-size.json'), `${JSON.stringify(size, null, 2)}\n`);
      this.info(
        `first screen: ${kib(size.first_screen_js_gzip_bytes)} of JavaScript, ${kib(size.first_screen_css_gzip_bytes)} of CSS (gzip); ` +
          `all JavaScript ${kib(size.all_js_gzip_bytes)}; budget ${options.budgetKiB} KiB of JavaScript`,
      );
      if (size.first_screen_js_gzip_bytes > options.budgetKiB * 1024) {
        this.error(`the first screen's JavaScript is ${kib(size.first_screen_js_gzip_bytes)} gzip, over the ${options.budgetKiB} KiB budget`);
      }
    },
  };
}
