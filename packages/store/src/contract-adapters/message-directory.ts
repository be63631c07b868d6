/** The message projection in contract shapes: what the API's use cases read (services/api/src/domain/ports.ts). */
import type { Message } from '@talk/shared/schemas';
import type { MessageStore, TopLevelQuery } from '../message-store';
import type { MessageViews } from '../message-views';
import { messageDocFrom, toStoredMessage, type StoredMessage } from '../wire';

export interface MessageDirectory {
  findMessage(messageId: string): Promise<StoredMessage | null>;
  listTopLevel(query: TopLevelQuery): Promise<StoredMessage[]>;
  listReplies(rootId: string, options: { afterSeq?: number; visibleUpToSeq?: number; limit: number }): Promise<StoredMessage[]>;
  render(messages: readonly StoredMessage[]): Promise<Message[]>;
  renderOne(message: StoredMessage): Promise<Message>;
  withThread(message: Message): Promise<Message>;
  listMentioning(agentId: string, options: { after?: { readonly tmCreate: Date; readonly id: string }; limit: number }): Promise<StoredMessage[]>;
}

export function createMessageDirectory(messages: MessageStore, views: MessageViews): MessageDirectory {
  return {
    async findMessage(messageId) {
      const doc = await messages.findMessage(messageId);
      return doc === null ? null : toStoredMessage(doc);
    },
    async listTopLevel(query) {
      return (await messages.listTopLevel(query)).map(toStoredMessage);
    },
    async listReplies(rootId, options) {
      return (await messages.listReplies(rootId, options)).map(toStoredMessage);
    },
    async listMentioning(agentId, options) {
      return (await messages.listMentioning(agentId, options)).map(toStoredMessage);
    },
    render: (page) => views.render(page.map(messageDocFrom)),
    renderOne: (message) => views.renderOne(messageDocFrom(message)),
    withThread: (message) => views.withThread(message),
  };
}
