import { plainMarkdown, renderMarkdown } from '../../bot/chat/markdown.js';
import type { Card, CardButton, OutgoingMessage } from '../../bot/chat/model.js';
import { chartLines } from '../shared/chart.js';
import { escapeWecomMarkdown, wecomMentionId } from './escape.js';
import { CARD_LIST_MAX, clip, ROBOT_CARD, type CardLimits } from './limits.js';
import { texts } from './texts.js';

/** A button's key carries our action and value: `a|<json>` (WeCom allows 1024 bytes). */
export function buttonKey(button: CardButton): string {
  return `a|${JSON.stringify({ action: button.action, value: button.value })}`;
}

export function parseButtonKey(key: string): { action: string; value: Record<string, unknown> } | undefined {
  if (!key.startsWith('a|')) return undefined;
  try {
    const parsed = JSON.parse(key.slice(2)) as { action?: unknown; value?: unknown };
    if (typeof parsed.action !== 'string' || typeof parsed.value !== 'object' || parsed.value === null) return undefined;
    return { action: parsed.action, value: parsed.value as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

/**
 * A neutral card as a WeCom `button_interaction` template card: title, at most six fields, at most
 * six buttons, every text clipped to what the channel takes (`limits`: the robot's by default, the
 * shortest). WeCom cards take no free text, so a form's submit buttons become buttons and the
 * card says which typed command carries a comment. Its texts are plain (no markup is read there).
 */
export function templateCard(card: Card, taskId: string, sourceName: string, limits: CardLimits = ROBOT_CARD): Record<string, unknown> {
  const buttons = [...card.buttons, ...(card.form?.submits ?? [])].slice(0, CARD_LIST_MAX);
  // The typed command for what the form would carry: its first submit's, else the card's first.
  const command = [...(card.form?.submits ?? []), ...card.buttons].map((b) => b.command).find(Boolean);
  const status = card.fields.find((f) => f.label === texts.statusLabel)?.value;
  const fields = card.fields.filter((f) => f.label !== texts.statusLabel).slice(0, CARD_LIST_MAX);
  const progress = card.markdown && plainMarkdown(card.markdown);
  const sub = [card.text, progress, card.note, card.form && command ? texts.replyWithComment(command) : undefined].filter(Boolean).join('\n');
  return {
    card_type: 'button_interaction',
    source: { desc: clip(sourceName, limits.source) },
    main_title: { title: clip(card.title, limits.title), ...(status ? { desc: clip(status, limits.desc) } : {}) },
    ...(sub ? { sub_title_text: clip(sub, limits.subTitle) } : {}),
    horizontal_content_list: fields.map((f) => ({ keyname: clip(f.label, limits.keyname), value: clip(f.value, limits.value) })),
    task_id: taskId,
    button_list: buttons.map((b) => ({
      text: clip(b.label, limits.button),
      style: b.style === 'danger' ? 3 : b.style === 'primary' ? 1 : 2,
      key: buttonKey(b),
    })),
  };
}

/** Text as WeCom markdown, shown as written: its `mentions` as <@userid> in front are the only markup. */
export function markdownText(message: Extract<OutgoingMessage, { type: 'text' }>): string {
  const mentions = (message.mentions ?? [])
    .map((m) => wecomMentionId(m.platformUserId))
    .filter((id): id is string => !!id)
    .map((id) => `<@${id}>`)
    .join(' ');
  return `${mentions ? `${mentions} ` : ''}${escapeWecomMarkdown(message.text)}`;
}

/** A card as markdown, for channels that only send markdown (webhooks): the card's own markup, every text in it escaped. */
export function cardMarkdown(card: Card): string {
  const lines = [`**${escapeWecomMarkdown(card.title)}**`, ...card.fields.map((f) => `> ${escapeWecomMarkdown(f.label)}：${escapeWecomMarkdown(f.value)}`)];
  if (card.text) lines.push(escapeWecomMarkdown(card.text));
  if (card.markdown) lines.push(renderMarkdown(card.markdown, escapeWecomMarkdown));
  if (card.chart) lines.push(escapeWecomMarkdown(chartLines(card.chart)));
  if (card.note) lines.push(`<font color="comment">${escapeWecomMarkdown(card.note)}</font>`);
  return lines.join('\n');
}

/**
 * A card with buttons where no button can be shown (a group reached without the long connection,
 * a webhook, an app chat): its markdown, then for each button the message that does the same,
 * addressed to the robot (`认领：发送「@信息科助手 认领 IT-…」`).
 */
export function cardMarkdownWithCommands(card: Card, botName: string): string {
  const commands = [...card.buttons, ...(card.form?.submits ?? [])].filter((b) => b.command);
  const lines = commands.map((b) => escapeWecomMarkdown(texts.sendToRobot(b.label, botName, b.command!)));
  return [cardMarkdown(card), ...[...new Set(lines)]].join('\n');
}
