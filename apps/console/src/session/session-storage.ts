/**
 * The signed-in agent, kept for this tab only (sessionStorage): a token is not shared with other
 * tabs nor kept past the tab, and what is read back is checked against the contract's shapes.
 */
import { z } from 'zod';
import { Agent } from '@talk/shared/schemas';

export const Session = z.object({
  token: z.string().min(1),
  expires_at: z.string(),
  agent: Agent,
});
export type Session = z.infer<typeof Session>;

const KEY = 'talk.session';

export function readSession(storage: Storage): Session | undefined {
  const raw = storage.getItem(KEY);
  if (raw === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined; // written by something else: treated as signed out
  }
  const parsed = Session.safeParse(value);
  if (!parsed.success || Date.parse(parsed.data.expires_at) <= Date.now()) {
    storage.removeItem(KEY);
    return undefined;
  }
  return parsed.data;
}

export function writeSession(storage: Storage, session: Session): void {
  storage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage): void {
  storage.removeItem(KEY);
}
