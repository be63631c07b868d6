import type { Talk } from '@talk/shared/schemas';

/**
 * What a talk is called on screen. A direct talk often has no name of its own: it is called after
 * the other agent (`peerName`), once the console knows who that is.
 */
export const talkName = (talk: Pick<Talk, 'name' | 'type'>, peerName?: string): string =>
  talk.name.trim() !== '' ? talk.name : talk.type === 'direct' ? (peerName ?? 'Direct talk') : 'Untitled talk';
