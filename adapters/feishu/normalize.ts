import { z } from 'zod';
import type { Attachment, IncomingEvent } from '../../bot/chat/model.js';

/** Shapes of the Feishu payloads we read (schema 2.0), validated where they enter. */
const UserId = z.object({ open_id: z.string().min(1), user_id: z.string().optional(), union_id: z.string().optional() });

/**
 * Event payloads as the SDK's EventDispatcher hands them to handlers, over HTTP and the long
 * connection alike: schema 2.0 with `header` and `event` merged into one object.
 */
const Header = {
  event_id: z.string().min(1),
  token: z.string().optional(),
  create_time: z.string().optional(),
  app_id: z.string().optional(),
};

const Mention = z.object({ key: z.string(), id: UserId.partial(), name: z.string().default('') });

export const MessageEvent = z.object({
  ...Header,
  event_type: z.literal('im.message.receive_v1'),
  sender: z.object({ sender_id: UserId.partial().optional(), sender_type: z.string() }),
  message: z.object({
    message_id: z.string().min(1),
    parent_id: z.string().optional(),
    /** The thread (话题) the message is in; empty or absent when it is in none. */
    thread_id: z.string().optional(),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z.array(Mention).optional(),
  }),
});
export type MessageEvent = z.infer<typeof MessageEvent>;

export const CardActionEvent = z.object({
  ...Header,
  event_type: z.literal('card.action.trigger'),
  operator: UserId,
  token: z.string().optional(),
  action: z.object({
    value: z.object({ action: z.string().min(1), value: z.record(z.string(), z.unknown()).default({}) }),
    tag: z.string().optional(),
    name: z.string().optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
  }),
  context: z.object({ open_message_id: z.string().min(1), open_chat_id: z.string().min(1) }),
});
export type CardActionEvent = z.infer<typeof CardActionEvent>;

/** `im.chat.member.bot.added_v1`: the bot was added to a group (chat_id, who added it, the group's name). */
export const BotAddedEvent = z.object({
  ...Header,
  event_type: z.literal('im.chat.member.bot.added_v1'),
  chat_id: z.string().min(1),
  operator_id: UserId.partial().optional(),
  name: z.string().optional(),
  external: z.boolean().optional(),
});
export type BotAddedEvent = z.infer<typeof BotAddedEvent>;

/** Text, and the images a message carries, from Feishu's message content of each type. */
function contentOf(type: string, content: string): { text?: string; attachments: Attachment[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return { attachments: [] };
  }
  const c = parsed as Record<string, unknown>;
  if (type === 'text') return { text: typeof c.text === 'string' ? c.text : undefined, attachments: [] };
  if (type === 'image') return { attachments: typeof c.image_key === 'string' ? [{ kind: 'image', key: c.image_key }] : [] };
  if (type === 'post') {
    // A rich-text post: lines of elements; at-mentions keep their key (@_user_1) like text messages.
    const post = (c.content ? c : (Object.values(c)[0] as Record<string, unknown> | undefined)) ?? {};
    const lines = Array.isArray(post.content) ? (post.content as Record<string, unknown>[][]) : [];
    const attachments: Attachment[] = [];
    const text = lines
      .map((line) =>
        (Array.isArray(line) ? line : [])
          .map((el) => {
            if (el.tag === 'img' && typeof el.image_key === 'string') attachments.push({ kind: 'image', key: el.image_key });
            if (el.tag === 'text' || el.tag === 'a') return String(el.text ?? '');
            // In received posts an at-element's user_id is the mention key (@_user_1), resolved below.
            if (el.tag === 'at') return String(el.user_id ?? '').startsWith('@_') ? String(el.user_id) : `@${String(el.user_name ?? '')}`;
            return '';
          })
          .join(''),
      )
      .join('\n');
    const title = typeof post.title === 'string' && post.title ? `${post.title}\n` : '';
    return { text: `${title}${text}`, attachments };
  }
  return { attachments: [] };
}

/**
 * An `im.message.receive_v1` event as a neutral message: the bot's own mention removed, other
 * mentions turned into names and listed. Messages from bots and apps are not for us (undefined).
 * The bot is known by its open_id, or, before that is known, by its name (a mention carrying no
 * person's user_id or union_id counts too: apps have neither).
 */
export function messageToEvent(payload: MessageEvent, bot: string | { name?: string } | undefined): IncomingEvent | undefined {
  const { sender, message } = payload;
  if (sender.sender_type !== 'user' || !sender.sender_id?.open_id) return undefined;
  const { text: raw, attachments } = contentOf(message.message_type, message.content);
  const mentions = message.mentions ?? [];
  const direct = message.chat_type === 'p2p';
  let text = raw;
  let mentionsBot = direct;
  const people: { platformId: string; name: string }[] = [];
  for (const m of mentions) {
    const isBot = typeof bot === 'string' ? m.id.open_id === bot : (!!bot?.name && m.name === bot.name) || (!m.id.user_id && !m.id.union_id);
    if (isBot) mentionsBot = true;
    else if (m.id.open_id) people.push({ platformId: m.id.open_id, name: m.name });
    if (text !== undefined) text = text.split(m.key).join(isBot ? '' : `@${m.name}`);
  }
  const { open_id, user_id, union_id } = sender.sender_id;
  return {
    platform: 'feishu',
    eventId: message.message_id,
    kind: 'message',
    chat: { id: message.chat_id, type: direct ? 'direct' : 'group' },
    user: { platformId: open_id, altIds: [user_id, union_id].filter((x): x is string => !!x) },
    text: text?.replace(/\s+/g, ' ').trim(),
    mentionsBot,
    mentions: people,
    attachments,
    replyTo: message.parent_id ? { platform: 'feishu', chatId: message.chat_id, messageId: message.parent_id } : undefined,
    ...(message.thread_id ? { inThread: true } : {}),
  };
}

/** A `card.action.trigger` callback as a neutral action on the clicked card. */
export function cardActionToEvent(payload: CardActionEvent): IncomingEvent {
  const { operator, action, context } = payload;
  return {
    platform: 'feishu',
    eventId: payload.event_id,
    kind: 'action',
    chat: { id: context.open_chat_id, type: 'group' },
    user: { platformId: operator.open_id, altIds: [operator.user_id, operator.union_id].filter((x): x is string => !!x) },
    mentionsBot: false,
    attachments: [],
    action: { name: action.value.action, value: action.value.value, form: action.form_value },
    replyTo: { platform: 'feishu', chatId: context.open_chat_id, messageId: context.open_message_id },
  };
}

/** The bot added to a group, as a neutral arrival in that group (greeted by the core). */
export function botAddedToEvent(payload: BotAddedEvent): IncomingEvent {
  const operator = payload.operator_id ?? {};
  return {
    platform: 'feishu',
    eventId: payload.event_id,
    kind: 'joined',
    chat: { id: payload.chat_id, type: 'group' },
    user: { platformId: operator.open_id ?? '', altIds: [operator.user_id, operator.union_id].filter((x): x is string => !!x) },
    mentionsBot: false,
    attachments: [],
  };
}
