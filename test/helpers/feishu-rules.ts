import { cardProblems } from './feishu-card-schema.js';

/**
 * What Feishu's message APIs refuse, with the documented codes (发送消息, 回复消息, 更新应用发送的消息卡片,
 * 如何解决 230001 错误, 通用错误码), for the Open API stand-in:
 * - a request body over 30 KB for a card (or post), over 150 KB for a text: 230025;
 * - content that is not the JSON of its msg_type: 230001; a card that is not valid card JSON 2.0: 230099;
 * - a field of the wrong type or length (`reply_in_thread` not a boolean, `uuid` over 50 characters): 99992402.
 * KB is read as 1,000 bytes, the stricter reading, so what the stand-in takes Feishu takes however it counts.
 */
export const CARD_BODY_LIMIT = 30_000;
export const TEXT_BODY_LIMIT = 150_000;

export interface Refusal {
  status: number;
  code: number;
  msg: string;
}

const MSG_TYPES = ['text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'interactive', 'share_chat', 'share_user', 'system'];

const invalidParam = (ext: string): Refusal => ({ status: 400, code: 230001, msg: `Your request contains an invalid request parameter, ext=${ext}` });
const fieldValidation = (field: string, detail: string): Refusal => ({ status: 400, code: 99992402, msg: `field validation failed: ${field} ${detail}` });

/** The refusal of a card's JSON as 230099 says it: the first problem, with its sub-code and path. */
export function cardRefusal(card: unknown): Refusal | undefined {
  const [first] = cardProblems(card);
  if (!first) return undefined;
  return {
    status: 400,
    code: 230099,
    msg: `Failed to create card content, ext=ErrCode: ${first.errCode}; ErrPath: ${first.path}; ErrMsg: ${first.message}; `,
  };
}

/** The limit on a body of this message type, in bytes. */
export const bodyLimit = (msgType: string) => (msgType === 'text' ? TEXT_BODY_LIMIT : CARD_BODY_LIMIT);

/**
 * What a send or a reply body is refused for, if anything, given its size in bytes as it arrived;
 * with the content parsed when it is taken.
 */
export function messageRefusal(body: Record<string, unknown>, bytes: number, reply: boolean): Refusal | { content: any } {
  const { msg_type: msgType, content, uuid } = body;
  if (typeof msgType !== 'string' || !MSG_TYPES.includes(msgType)) return invalidParam('invalid msg_type');
  if (typeof content !== 'string' || !content) return invalidParam('content cannot be empty');
  if (uuid !== undefined && (typeof uuid !== 'string' || uuid.length > 50)) return fieldValidation('uuid', 'is a string of at most 50 characters');
  if (reply && body.reply_in_thread !== undefined && typeof body.reply_in_thread !== 'boolean') return fieldValidation('reply_in_thread', 'is a boolean');
  if (bytes > bodyLimit(msgType)) {
    return { status: 400, code: 230025, msg: `The length of the message content reaches its limit (${bytes} bytes, ${msgType} takes ${bodyLimit(msgType)})` };
  }
  let parsed: any;
  try {
    parsed = JSON.parse(content);
  } catch {
    return invalidParam('invalid message content. validate content fail');
  }
  if (msgType === 'text' && typeof parsed?.text !== 'string') return invalidParam('invalid message content. validate content fail');
  if (msgType === 'interactive') return cardRefusal(parsed) ?? { content: parsed };
  return { content: parsed };
}

/** A patch of a card: the message must be the app's own card, the new card valid and its body within 30 KB. */
export function patchRefusal(
  body: Record<string, unknown>,
  bytes: number,
  target: { byApp: boolean; msgType: string; content: any } | undefined,
): Refusal | { content: any } {
  if (!target) return invalidParam('invalid message_id');
  if (!target.byApp) return invalidParam('bot or user is not the message`s sender');
  if (target.msgType !== 'interactive') return invalidParam('This message is NOT a card');
  if (typeof body.content !== 'string' || !body.content) return invalidParam('content cannot be empty');
  if (bytes > CARD_BODY_LIMIT)
    return { status: 400, code: 230025, msg: `The length of the message content reaches its limit (${bytes} bytes, a card takes ${CARD_BODY_LIMIT})` };
  let parsed: any;
  try {
    parsed = JSON.parse(body.content);
  } catch {
    return invalidParam('invalid message content. validate content fail');
  }
  // A shared card stays shared: update_multi true before and after the update.
  if (target.content?.config?.update_multi !== true || parsed?.config?.update_multi !== true) {
    return invalidParam('only a shared card, config.update_multi: true before and after, is updated for everyone');
  }
  return cardRefusal(parsed) ?? { content: parsed };
}

export const isRefusal = (r: Refusal | { content: any }): r is Refusal => 'code' in r;
