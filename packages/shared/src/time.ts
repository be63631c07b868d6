/** Contract times are RFC 3339 UTC strings with milliseconds: `2026-11-25T10:51:58.123Z`. */
export type Timestamp = string;

export function toTimestamp(date: Date): Timestamp {
  return date.toISOString();
}

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
