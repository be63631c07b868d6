/**
 * The line format of `npm run stack` (scripts/dev-log-format.mjs). That module is plain ESM, run
 * unbuilt by scripts/stack.mjs, and jest (CommonJS here) cannot import ESM without
 * --experimental-vm-modules: each call runs in a child `node`, which loads it as stack.mjs does.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const MODULE = pathToFileURL(join(__dirname, 'dev-log-format.mjs')).href;

interface Style {
  readonly pretty: boolean;
  readonly colour: boolean;
  readonly width: number;
}

function call(exported: 'formatLine' | 'colourWanted', args: readonly unknown[]): unknown {
  const script = `const m = await import(${JSON.stringify(MODULE)});
process.stdout.write(JSON.stringify(m.${exported}(...JSON.parse(process.argv[1]))));`;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(args)], { encoding: 'utf8' });
  return JSON.parse(stdout);
}

const formatLine = (name: string, text: string, style: Style): unknown => call('formatLine', [name, text, style]);
const colourWanted = (isTTY: boolean, env: Record<string, string>): unknown => call('colourWanted', [isTTY, env]);

const PLAIN: Style = { pretty: true, colour: false, width: 9 };
const COLOUR: Style = { ...PLAIN, colour: true };
/** 03:04:05.006 on this machine's clock, whatever its time zone. */
const TIME = new Date(2026, 0, 2, 3, 4, 5, 6).getTime();
const pinoLine = (fields: Record<string, unknown>): string =>
  JSON.stringify({ level: 30, time: TIME, pid: 4242, hostname: 'box', name: 'talk-api', ...fields });
const ESC = '\u001b';

describe('formatLine, pretty', () => {
  it('writes time, level, message and the other fields as key=value, padded behind the process name', () => {
    const line = pinoLine({ talkId: 't-1', port: 3100, fresh: true, msg: 'api listening' });
    expect(formatLine('api-1', line, PLAIN)).toBe('api-1     | 03:04:05.006 INFO  api listening talkId=t-1 port=3100 fresh=true\n');
  });

  it('quotes a string that would not read as one value, and writes objects as JSON', () => {
    const line = pinoLine({ level: 40, msg: 'odd frame', reason: 'too big', url: '/v1.0/ws?token=[redacted]', parsed: { type: 'x', n: [1] } });
    expect(formatLine('gateway-2', line, PLAIN)).toBe(
      'gateway-2 | 03:04:05.006 WARN  odd frame reason="too big" url="/v1.0/ws?token=[redacted]" parsed={"type":"x","n":[1]}\n',
    );
  });

  it('prints an error’s stack on the lines below, behind the same prefix, and its other fields inline', () => {
    const err = { type: 'AppError', message: 'talk not found', stack: 'AppError: talk not found\n    at open (talks.js:10:5)', code: 'not_found' };
    const line = pinoLine({ level: 50, talkId: 't-1', err, msg: 'request failed' });
    expect(formatLine('api-2', line, PLAIN)).toBe(
      [
        'api-2     | 03:04:05.006 ERROR request failed talkId=t-1 err.code=not_found',
        'api-2     |     AppError: talk not found',
        'api-2     |         at open (talks.js:10:5)',
        '',
      ].join('\n'),
    );
  });

  it('passes anything but a pino line through unchanged behind the prefix', () => {
    for (const text of ['2026/01/02 03:04:05 [notice] 7#7: start worker processes', '{ not json', '{"no":"level"}', '    at main (main.js:1:1)', '']) {
      expect(formatLine('nginx', text, PLAIN)).toBe(`nginx     | ${text}\n`);
    }
  });

  it('colours the name by service, the same for every replica, and warnings and errors by level', () => {
    const warn = pinoLine({ level: 40, msg: 'slow' });
    const info = pinoLine({ msg: 'ready' });
    expect(formatLine('api-1', warn, COLOUR)).toBe(
      `${ESC}[36mapi-1    ${ESC}[0m | ${ESC}[2m03:04:05.006${ESC}[0m ${ESC}[33mWARN ${ESC}[0m slow\n`,
    );
    expect(formatLine('api-2', info, COLOUR)).toBe(`${ESC}[36mapi-2    ${ESC}[0m | ${ESC}[2m03:04:05.006${ESC}[0m INFO  ready\n`);
    expect(formatLine('gateway-1', info, COLOUR)).toMatch(new RegExp(`^${ESC}\\[35mgateway-1`));
    expect(formatLine('notifier-1', info, COLOUR)).toMatch(new RegExp(`^${ESC}\\[34mnotifier-1`));
    expect(formatLine('nginx', 'started', COLOUR)).toBe(`${ESC}[32mnginx    ${ESC}[0m | started\n`);
    expect(formatLine('api-1', pinoLine({ level: 50, msg: 'x' }), COLOUR)).toContain(`${ESC}[31mERROR${ESC}[0m`);
  });
});

describe('formatLine, JSON', () => {
  it('keeps every line as it came, behind `name | `', () => {
    const line = pinoLine({ msg: 'ready' });
    expect(formatLine('notifier-1', line, { pretty: false, colour: false, width: 10 })).toBe(`notifier-1 | ${line}\n`);
  });
});

describe('colourWanted', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [true, { TERM: 'dumb' }, false],
    [false, { FORCE_COLOR: '1' }, true],
    [false, { FORCE_COLOR: '' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [true, { FORCE_COLOR: 'false' }, false],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
  ])('on a terminal: %s, env %j: %s', (isTTY, env, wanted) => {
    expect(colourWanted(isTTY, env)).toBe(wanted);
  });
});
