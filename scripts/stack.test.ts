/**
 * scripts/stack.mjs without starting anything: a refused option makes it print one line of its
 * own and exit 2, which shows that it loads its line format and obeys --json-logs. The formatting
 * of the services' lines is dev-log-format.test.ts's.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const STACK = join(__dirname, 'stack.mjs');

function refused(...options: string[]): { status: number | null; stdout: string } {
  const run = spawnSync(process.execPath, [STACK, '--replicas', '0', ...options], {
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { status: run.status, stdout: run.stdout };
}

describe('scripts/stack.mjs', () => {
  it('pads its own lines to the longest process name, notifier-<replicas>', () => {
    expect(refused()).toEqual({ status: 2, stdout: 'stack      | --replicas must be 1–10\n' });
  });

  it('writes lines behind a bare `name | ` with --json-logs', () => {
    expect(refused('--json-logs')).toEqual({ status: 2, stdout: 'stack | --replicas must be 1–10\n' });
  });
});
