import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { encryptFeishu, feishuSignature } from '../../adapters/feishu/crypto.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/feishu');
export const fixture = (name: string): any => JSON.parse(readFileSync(path.join(fixtures, `${name}.json`), 'utf8'));

/** Messages people sent in the tests (id → chat), so the Open API stand-in can take replies to them. */
export const userMessages = new Map<string, string>();
/** Those of them sent in a thread (id → thread_id), so a reply to one lands in its thread. */
export const userThreads = new Map<string, string>();

export const ENCRYPT_KEY = 'helpdesk-test-encrypt-key';
export const VERIFICATION_TOKEN = 'rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV';

/** The environment of a bot on the test Feishu app, its Open API at `domain` (a stand-in's URL). */
export function feishuEnv(domain: string) {
  return {
    FEISHU_APP_ID: 'cli_helpdesk_test',
    FEISHU_APP_SECRET: 'app-secret',
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_DOMAIN: domain,
  };
}

/** A group message from a person, shaped like the documentation's im.message.receive_v1. */
export function messageEvent(opts: {
  from: string;
  chatId: string;
  text: string;
  mentionBot?: string;
  messageId?: string;
  chatType?: string;
  threadId?: string;
}) {
  const payload = fixture('im.message.receive_v1');
  payload.header.event_id = randomUUID();
  payload.header.token = VERIFICATION_TOKEN;
  payload.event.sender.sender_id = { open_id: opts.from, union_id: `on_${opts.from}`, user_id: '' };
  const message = payload.event.message;
  message.message_id = opts.messageId ?? `om_${randomUUID().replaceAll('-', '')}`;
  message.chat_id = opts.chatId;
  userMessages.set(message.message_id, opts.chatId);
  if (opts.threadId) {
    // A message in a thread (话题): a topic group's message, or a reply in a thread.
    message.thread_id = opts.threadId;
    userThreads.set(message.message_id, opts.threadId);
  }
  message.chat_type = opts.chatType ?? 'group';
  message.content = JSON.stringify({ text: opts.mentionBot ? `@_user_1 ${opts.text}` : opts.text });
  message.mentions = opts.mentionBot
    ? [{ key: '@_user_1', id: { open_id: opts.mentionBot, union_id: 'on_bot', user_id: '' }, name: '信息科助手', tenant_key: 'x' }]
    : [];
  return payload;
}

/** The bot added to a group by a person, shaped like the documentation's im.chat.member.bot.added_v1. */
export function botAddedEvent(opts: { by: string; chatId: string; name?: string }) {
  const payload = fixture('im.chat.member.bot.added_v1');
  payload.header.event_id = randomUUID();
  payload.header.token = VERIFICATION_TOKEN;
  payload.event.chat_id = opts.chatId;
  payload.event.operator_id = { open_id: opts.by, union_id: `on_${opts.by}`, user_id: '' };
  if (opts.name) payload.event.name = opts.name;
  return payload;
}

/** A card button click, shaped like the documentation's card.action.trigger. */
export function cardAction(opts: { operator: string; chatId: string; messageId: string; value: unknown; form?: Record<string, unknown> }) {
  const payload = fixture('card.action.trigger');
  payload.header.event_id = randomUUID();
  payload.header.token = VERIFICATION_TOKEN;
  payload.event.operator = { open_id: opts.operator, union_id: `on_${opts.operator}`, user_id: '', tenant_key: 'x' };
  payload.event.action.value = opts.value;
  if (opts.form) payload.event.action.form_value = opts.form;
  payload.event.context = { open_message_id: opts.messageId, open_chat_id: opts.chatId };
  return payload;
}

/** The request Feishu would send: body encrypted with the Encrypt Key, headers signed over the exact bytes. */
export function signedRequest(payload: unknown, opts: { encryptKey?: string; timestamp?: number; nonce?: string } = {}) {
  const key = opts.encryptKey ?? ENCRYPT_KEY;
  const body = JSON.stringify({ encrypt: encryptFeishu(JSON.stringify(payload), key) });
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? randomUUID();
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': feishuSignature(timestamp, nonce, key, body),
    },
  };
}
