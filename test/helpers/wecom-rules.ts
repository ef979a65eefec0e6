/**
 * WeCom's documented limits on a `button_interaction` template card, as the stand-ins enforce them
 * (kept apart from the adapter's own copy, so a wrong limit there makes a test fail).
 */
export interface CardRules {
  source: number;
  title: number;
  desc: number;
  subTitle: number;
  keyname: number;
  value: number;
  button: number;
}

/** 发送应用消息 / 更新模版卡片消息 (the self-built application). */
export const WECOM_APP_CARD: CardRules = { source: 13, title: 36, desc: 44, subTitle: 112, keyname: 5, value: 30, button: 10 };
/** 智能机器人 模板卡片类型 (its replies, long connection, response_url). */
export const WECOM_ROBOT_CARD: CardRules = { source: 13, title: 26, desc: 30, subTitle: 112, keyname: 5, value: 26, button: 10 };

const chars = (text: unknown) => (typeof text === 'string' ? [...text].length : 0);
const bytes = (text: unknown) => Buffer.byteLength(typeof text === 'string' ? text : '', 'utf8');

/** What WeCom would refuse in this card (errcode 40058 with this message), or undefined. */
export function templateCardProblem(card: any, rules: CardRules): string | undefined {
  if (!card || typeof card !== 'object') return 'template_card missing';
  const over = (field: string, text: unknown, max: number) => (chars(text) > max ? `${field} exceeds ${max} characters` : undefined);
  const problems = [
    over('source.desc', card.source?.desc, rules.source),
    over('main_title.title', card.main_title?.title, rules.title),
    over('main_title.desc', card.main_title?.desc, rules.desc),
    over('sub_title_text', card.sub_title_text, rules.subTitle),
    (card.horizontal_content_list ?? []).length > 6 ? 'horizontal_content_list exceeds 6 items' : undefined,
    ...(card.horizontal_content_list ?? []).flatMap((h: any, i: number) => [
      over(`horizontal_content_list[${i}].keyname`, h.keyname, rules.keyname),
      over(`horizontal_content_list[${i}].value`, h.value, rules.value),
    ]),
    (card.button_list ?? []).length > 6 ? 'button_list exceeds 6 items' : undefined,
    ...(card.button_list ?? []).flatMap((b: any, i: number) => [
      over(`button_list[${i}].text`, b.text, rules.button),
      bytes(b.key) > 1024 ? `button_list[${i}].key exceeds 1024 bytes` : undefined,
    ]),
    card.task_id !== undefined && !/^[\w@-]{1,128}$/.test(String(card.task_id)) ? 'invalid task_id' : undefined,
  ];
  return problems.find(Boolean);
}
