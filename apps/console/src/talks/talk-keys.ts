/** The query cache's keys, built in one place so that invalidations match what queries use. */
export const talkKeys = {
  list: () => ['talks'] as const,
  talk: (talkId: string) => ['talk', talkId] as const,
  details: (talkId: string) => ['talk', talkId, 'details'] as const,
  messages: (talkId: string) => ['talk', talkId, 'messages'] as const,
  participants: (talkId: string) => ['talk', talkId, 'participants'] as const,
  thread: (talkId: string, rootId: string) => ['talk', talkId, 'thread', rootId] as const,
};
