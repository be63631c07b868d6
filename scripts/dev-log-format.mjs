/**
 * How `npm run stack` (scripts/stack.mjs) shows its children's output. Pretty: a pino JSON line
 * becomes `api-1      | 12:04:05.123 WARN  message key=value …`, an error's stack on the lines
 * below; any other line (a crash trace, nginx) passes through behind the same prefix. JSON: every
 * line unchanged behind `name | `, as before, for piping into tools. The services write JSON in
 * every deployment; only this dev launcher reformats it.
 *
 * Plain ESM without dependencies, since stack.mjs runs unbuilt; tested by dev-log-format.test.ts.
 */

/** One colour per service, the same for all its replicas: the colour says which service, the number which replica. */
const SERVICE_COLOURS = { api: '36', gateway: '35', notifier: '34', nginx: '32', stack: '1' };

/** pino's levels; info is left plain so that what needs a look is what is coloured. */
const LEVELS = {
  10: { label: 'TRACE', colour: '2' },
  20: { label: 'DEBUG', colour: '2' },
  30: { label: 'INFO', colour: '' },
  40: { label: 'WARN', colour: '33' },
  50: { label: 'ERROR', colour: '31' },
  60: { label: 'FATAL', colour: '1;31' },
};

/** Fields of every pino line, or that the prefix already says (the replica names the process). */
const NOT_LISTED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name']);

/** What pino's error serializer writes and the stack already shows. */
const IN_THE_STACK = new Set(['type', 'message', 'stack']);

const paint = (on, code, text) => (on && code !== '' ? `\u001b[${code}m${text}\u001b[0m` : text);

/**
 * Whether to colour: FORCE_COLOR decides when set ('0' and 'false' mean no, as in Node), then a
 * non-empty NO_COLOR (no-color.org) means no, and otherwise a terminal does, unless TERM=dumb.
 */
export function colourWanted(isTTY, env) {
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR) return false;
  return isTTY && env.TERM !== 'dumb';
}

/** The service a process name such as `gateway-2` belongs to. */
const serviceOf = (name) => name.replace(/-\d+$/, '');

function prefix(name, style) {
  return `${paint(style.colour, SERVICE_COLOURS[serviceOf(name)] ?? '', name.padEnd(style.width))} | `;
}

/** A pino line as an object, or undefined for anything else. */
function record(text) {
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && typeof parsed.level === 'number' ? parsed : undefined;
  } catch {
    // not JSON after all: shown as it is
    return undefined;
  }
}

const pad2 = (n) => String(n).padStart(2, '0');

/** HH:MM:SS.mmm in the machine's time zone, as a person at it reads the clock. */
function clock(time) {
  if (typeof time !== 'number') return ' '.repeat(12);
  const at = new Date(time);
  return `${pad2(at.getHours())}:${pad2(at.getMinutes())}:${pad2(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}`;
}

/** A value as it reads after `key=`: bare when unambiguous, JSON otherwise (quoted strings, objects). */
function shown(value) {
  if (typeof value === 'string') return /^[^\s"'=\\]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

const isErrorLike = (value) => typeof value === 'object' && value !== null && typeof value.stack === 'string';

/** The `key=value` pairs of a record's own fields, an error's beside its stack as `err.code=…`. */
function fields(entry) {
  const pairs = [];
  for (const [key, value] of Object.entries(entry)) {
    if (NOT_LISTED.has(key)) continue;
    if (isErrorLike(value)) {
      for (const [inner, innerValue] of Object.entries(value)) {
        if (!IN_THE_STACK.has(inner)) pairs.push([`${key}.${inner}`, innerValue]);
      }
    } else {
      pairs.push([key, value]);
    }
  }
  return pairs;
}

/**
 * What stack.mjs writes for one line `text` of the process `name`, newline included. `style`:
 * `{ pretty, colour, width }`, width being the longest process name, to which names are padded.
 */
export function formatLine(name, text, style) {
  if (!style.pretty) return `${name} | ${text}\n`;
  const head = prefix(name, style);
  const entry = record(text);
  if (entry === undefined) return `${head}${text}\n`;

  const level = LEVELS[entry.level] ?? { label: String(entry.level), colour: '' };
  const parts = [paint(style.colour, '2', clock(entry.time)), paint(style.colour, level.colour, level.label.padEnd(5))];
  if (typeof entry.msg === 'string') parts.push(entry.msg);
  for (const [key, value] of fields(entry)) parts.push(`${paint(style.colour, '2', `${key}=`)}${shown(value)}`);

  const stacks = Object.values(entry)
    .filter(isErrorLike)
    .flatMap((error) => error.stack.split('\n'));
  return [`${head}${parts.join(' ')}`, ...stacks.map((line) => `${head}    ${line}`)].join('\n') + '\n';
}
