/**
 * Feishu's documented limits on what the bot sends (发送消息, 回复消息, 更新应用发送的消息卡片; 卡片
 * JSON 2.0 结构 and its components), and the request bodies they are measured on.
 *
 * The size limit is on the request body, not on the card: a card travels as an escaped JSON string in
 * `content`, which makes it a fifth or so larger. Feishu refuses a card or post body over 30 KB and a
 * text body over 150 KB with 230025. KB is read here as 1,000 bytes, the stricter reading, so a body
 * fits however the platform counts.
 */
export const CARD_BODY_MAX_BYTES = 30_000;
export const TEXT_BODY_MAX_BYTES = 150_000;
/** A card JSON 2.0 holds at most 200 elements and components (a `plain_text` element counts too). */
export const CARD_MAX_ELEMENTS = 200;
/** A button's text, and an input's placeholder, at most 100 characters. */
export const BUTTON_TEXT_MAX_CHARS = 100;
export const PLACEHOLDER_MAX_CHARS = 100;

export type MsgType = 'text' | 'interactive';

/** `POST /im/v1/messages` (with `receive_id_type` in the query). */
export interface CreateBody {
  receive_id: string;
  msg_type: MsgType;
  content: string;
  uuid?: string;
}

/** `POST /im/v1/messages/:message_id/reply`. */
export interface ReplyBody {
  msg_type: MsgType;
  content: string;
  uuid?: string;
  /** Only when the reply must stay in a thread (话题); `true` where threads are off is refused (230071). */
  reply_in_thread?: boolean;
}

/** `PATCH /im/v1/messages/:message_id` (cards only). */
export interface PatchBody {
  content: string;
}

export type MessageBody = CreateBody | ReplyBody | PatchBody;

/** The bytes of a request body as it is sent (the SDK posts `data` as JSON). */
export const bodyBytes = (body: MessageBody): number => Buffer.byteLength(JSON.stringify(body), 'utf8');

export const bodyMaxBytes = (msgType: MsgType): number => (msgType === 'text' ? TEXT_BODY_MAX_BYTES : CARD_BODY_MAX_BYTES);

/** A card or text as `content` is sent: its JSON as a string. */
export const contentOf = (content: object): string => JSON.stringify(content);

/** A send to a chat (`oc_…`) or, for `user:<open_id>`, to a person directly. */
export interface CreateRequest {
  receiveIdType: 'chat_id' | 'open_id';
  body: CreateBody;
}

export function createRequest(chatId: string, msgType: MsgType, content: object, uuid?: string): CreateRequest {
  const direct = chatId.startsWith('user:');
  return {
    receiveIdType: direct ? 'open_id' : 'chat_id',
    body: { receive_id: direct ? chatId.slice('user:'.length) : chatId, msg_type: msgType, content: contentOf(content), ...(uuid ? { uuid } : {}) },
  };
}

/** A reply to a message; `inThread` keeps it in the thread (话题) that message is in. */
export function replyRequest(msgType: MsgType, content: object, uuid: string | undefined, inThread: boolean): ReplyBody {
  return { msg_type: msgType, content: contentOf(content), ...(uuid ? { uuid } : {}), ...(inThread ? { reply_in_thread: true } : {}) };
}

export const patchRequest = (card: object): PatchBody => ({ content: contentOf(card) });
