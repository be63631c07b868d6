/** Why a call failed, in words for the agent, from the reference client's errors. */
import { TalkApiError, TalkUnreachableError } from '@talk/client/errors';

/** What the agent reads on the sign-in screen when its token stopped working (REST 401, socket 4001). */
export const SESSION_ENDED_MESSAGE = 'Your session has ended (it expired or was revoked). Sign in again.';

/** The token no longer works: expired, or its agent was deactivated. */
export const sessionEnded = (error: unknown): boolean => error instanceof TalkApiError && error.status === 401;

export const rateLimited = (error: unknown): boolean => error instanceof TalkApiError && error.status === 429;

/** A sentence saying what went wrong and, where there is one, what to do. */
export function describeFailure(error: unknown): string {
  if (error instanceof TalkUnreachableError) return 'Talk did not answer. Check your connection and try again.';
  if (!(error instanceof TalkApiError)) return error instanceof Error ? error.message : 'Something went wrong.';
  const said = serverMessage(error);
  switch (error.status) {
    case 400:
      return `That was not accepted: ${said}`;
    case 401:
      return SESSION_ENDED_MESSAGE;
    case 403:
      return `You may not do that: ${said}`;
    case 404:
      return 'It is gone, or you no longer take part in this talk.';
    case 409:
      return `That cannot be done now: ${said}`;
    case 413:
      return 'That is too large to send.';
    case 429:
      return 'You are sending too fast. Wait a moment, then try again.';
    default:
      return `Talk could not do that (${error.status}): ${said}`;
  }
}

/** The server's own message, without the "409 CONFLICT: " prefix the client's Error adds. */
function serverMessage(error: TalkApiError): string {
  const prefix = `${error.status} ${error.code}: `;
  const text = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return text.endsWith('.') ? text : `${text}.`;
}
