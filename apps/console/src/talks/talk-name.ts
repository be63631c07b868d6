import type { Talk } from '@talk/shared/schemas';

/** What a talk is called on screen: a direct talk may have no name of its own. */
export const talkName = (talk: Pick<Talk, 'name' | 'type'>): string =>
  talk.name.trim() !== '' ? talk.name : talk.type === 'direct' ? 'Direct talk' : 'Untitled talk';
