import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import type { IncomingEvent } from '../../bot/chat/model.js';
import type { WeComCrypto } from './crypto.js';
import { parseButtonKey } from './render.js';
import { texts } from './texts.js';

const xml = new XMLParser({ parseTagValue: false, trimValues: true });

export type Checked = { ok: true; plain: string } | { ok: false; status: 400 | 401; reason: string };

/**
 * A WeCom callback request checked: signature over the ciphertext (compared in constant time),
 * timestamp within `maxSkewMs` (unless it is the URL check, which only echoes), decryption, and
 * the receive id (the CorpID for the application, "" for the smart robot).
 */
export function checkCallback(
  crypto: WeComCrypto,
  query: { msg_signature?: string; timestamp?: string; nonce?: string },
  encrypted: string | undefined,
  expectedReceiveId: string,
  opts: { now: number; maxSkewMs: number; checkTime: boolean },
): Checked {
  const { msg_signature: signature, timestamp, nonce } = query;
  if (!signature || !timestamp || !nonce || !encrypted) return { ok: false, status: 400, reason: 'missing msg_signature, timestamp, nonce or ciphertext' };
  if (!crypto.verify(signature, timestamp, nonce, encrypted)) return { ok: false, status: 401, reason: 'bad signature' };
  if (opts.checkTime && !(Math.abs(opts.now - Number(timestamp) * 1000) <= opts.maxSkewMs))
    return { ok: false, status: 401, reason: 'stale or invalid timestamp' };
  let decrypted: { message: string; receiveId: string };
  try {
    decrypted = crypto.decrypt(encrypted);
  } catch {
    return { ok: false, status: 400, reason: 'cannot decrypt' };
  }
  if (decrypted.receiveId !== expectedReceiveId) return { ok: false, status: 401, reason: 'wrong receive id' };
  return { ok: true, plain: decrypted.message };
}

export function encryptedOfXml(body: string): string | undefined {
  try {
    const parsed = xml.parse(body) as { xml?: { Encrypt?: string } };
    return parsed.xml?.Encrypt;
  } catch {
    return undefined;
  }
}

/** A decrypted application callback (XML) as a neutral event; `responseCode` of a card click is kept aside. */
export function appEventOf(plain: string): { event: IncomingEvent; responseCode?: string } | undefined {
  let m: Record<string, string>;
  try {
    m = (xml.parse(plain) as { xml: Record<string, string> }).xml;
  } catch {
    return undefined;
  }
  if (!m?.FromUserName || !m.MsgType) return undefined;
  const user = { platformId: String(m.FromUserName) };
  const chat = { id: `user:${m.FromUserName}`, type: 'direct' as const };
  if (m.MsgType === 'text') {
    return {
      event: {
        platform: 'wecom',
        eventId: String(m.MsgId ?? `${m.FromUserName}:${m.CreateTime}`),
        kind: 'message',
        chat,
        user,
        text: String(m.Content ?? '').trim(),
        mentionsBot: true,
        attachments: [],
      },
    };
  }
  if (m.MsgType === 'event' && m.Event === 'template_card_event') {
    const action = parseButtonKey(String(m.EventKey ?? ''));
    if (!action) return undefined;
    return {
      event: {
        platform: 'wecom',
        eventId: `${m.FromUserName}:${m.CreateTime}`,
        kind: 'action',
        chat,
        user,
        mentionsBot: false,
        attachments: [],
        action: { name: action.action, value: action.value },
        replyTo: { platform: 'wecom', chatId: chat.id, messageId: String(m.TaskId ?? '') },
      },
      responseCode: m.ResponseCode ? String(m.ResponseCode) : undefined,
    };
  }
  return undefined;
}

const RobotText = z.object({ content: z.string().optional() });
/** An image or a file: its download URL (valid five minutes, encrypted) and, over the long connection, its own key. */
const RobotMedia = z.object({ url: z.string().optional(), aeskey: z.string().optional() });
const CardClick = z.object({ event_key: z.string().optional(), task_id: z.string().optional() });

/** The smart robot's callback payload (JSON, the same over HTTP and the long connection), checked where it enters. */
const RobotPayload = z.object({
  msgid: z.string().optional(),
  chatid: z.string().optional(),
  chattype: z.string().optional(),
  from: z.object({ userid: z.string().optional() }).optional(),
  response_url: z.string().optional(),
  msgtype: z.string().optional(),
  text: RobotText.optional(),
  image: RobotMedia.optional(),
  file: RobotMedia.optional(),
  /** A voice message arrives already transcribed. */
  voice: RobotText.optional(),
  mixed: z
    .object({
      msg_item: z.array(z.object({ msgtype: z.string().optional(), text: RobotText.optional(), image: RobotMedia.optional() })).optional(),
    })
    .optional(),
  quote: z.object({ msgtype: z.string().optional(), text: RobotText.optional(), voice: RobotText.optional() }).optional(),
  /** A card click: the documentation nests the click under `template_card_event`, the SDK's types put it on the event. */
  event: CardClick.extend({ eventtype: z.string().optional(), template_card_event: CardClick.optional() }).optional(),
});

type Media = z.infer<typeof RobotMedia>;

/** A received image or file as an attachment: the key carries the file's own AES key after '#', when the long connection gives one. */
function attachmentOf(kind: 'image' | 'file', media: Media | undefined): IncomingEvent['attachments'] {
  if (!media?.url) return [];
  return [{ kind, key: media.aeskey ? `${media.url}#${media.aeskey}` : media.url }];
}

/** What a robot message says and carries: text, voice (as its transcript), images, files, or a mix of text and images. */
function contentOf(payload: z.infer<typeof RobotPayload>): { text: string; attachments: IncomingEvent['attachments'] } | undefined {
  switch (payload.msgtype) {
    case 'text':
      return { text: payload.text?.content ?? '', attachments: [] };
    case 'voice':
      return { text: payload.voice?.content ?? '', attachments: [] };
    case 'image':
      return { text: '', attachments: attachmentOf('image', payload.image) };
    case 'file':
      return { text: '', attachments: attachmentOf('file', payload.file) };
    case 'mixed': {
      let text = '';
      const attachments: IncomingEvent['attachments'] = [];
      for (const item of payload.mixed?.msg_item ?? []) {
        if (item.msgtype === 'text') text += item.text?.content ?? '';
        if (item.msgtype === 'image') attachments.push(...attachmentOf('image', item.image));
      }
      return { text, attachments };
    }
    default:
      return undefined;
  }
}

/**
 * A smart-robot callback (JSON, the same over HTTP and the long connection) as a neutral event:
 * a message, a card click, or the robot's arrival in a group (`enter_chat`).
 */
export function robotEventOf(body: unknown, botName: string): { event: IncomingEvent; responseUrl?: string } | undefined {
  const checked = RobotPayload.safeParse(body);
  if (!checked.success) return undefined;
  const payload = checked.data;
  const userid = payload.from?.userid;
  if (!userid || !payload.msgid) return undefined;
  const chatId = payload.chattype === 'single' || !payload.chatid ? `user:${userid}` : payload.chatid;
  const chat = { id: chatId, type: chatId.startsWith('user:') ? ('direct' as const) : ('group' as const) };
  const strip = (text: string) => text.replace(new RegExp(`@${botName}\\s*`, 'g'), '').trim();
  if (payload.msgtype === 'event' && payload.event?.eventtype === 'enter_chat') {
    // WeCom documents enter_chat for a person opening the robot's single chat (once a day), which
    // needs no setting up; one in a group (chattype group, its chatid) is the robot's arrival there.
    if (chat.type !== 'group') return undefined;
    return {
      event: { platform: 'wecom', eventId: payload.msgid, kind: 'joined', chat, user: { platformId: userid }, mentionsBot: false, attachments: [] },
      responseUrl: payload.response_url,
    };
  }
  if (payload.msgtype === 'event') {
    if (payload.event?.eventtype !== 'template_card_event') return undefined;
    const nested = payload.event.template_card_event;
    const eventKey = nested?.event_key ?? payload.event.event_key;
    const taskId = nested?.task_id ?? payload.event.task_id;
    const action = eventKey ? parseButtonKey(eventKey) : undefined;
    if (!action) return undefined;
    return {
      event: {
        platform: 'wecom',
        eventId: payload.msgid,
        kind: 'action',
        chat,
        user: { platformId: userid },
        mentionsBot: false,
        attachments: [],
        action: { name: action.action, value: action.value },
        replyTo: taskId ? { platform: 'wecom', chatId, messageId: taskId } : undefined,
      },
      responseUrl: payload.response_url,
    };
  }
  const content = contentOf(payload);
  if (!content) return undefined;
  const quoted =
    payload.quote?.msgtype === 'text' ? payload.quote.text?.content : payload.quote?.msgtype === 'voice' ? payload.quote.voice?.content : undefined;
  return {
    event: {
      platform: 'wecom',
      eventId: payload.msgid,
      kind: 'message',
      chat,
      user: { platformId: userid },
      text: [strip(content.text), quoted ? texts.quoted(quoted) : ''].filter(Boolean).join(' '),
      mentionsBot: true,
      attachments: content.attachments,
    },
    responseUrl: payload.response_url,
  };
}
