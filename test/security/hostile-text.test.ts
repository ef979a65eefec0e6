import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCard, renderText } from '../../adapters/feishu/render.js';
import { escapeFeishuText } from '../../adapters/feishu/escape.js';
import { toContent } from '../../adapters/simulator/transcript.js';
import { messageText } from '../../adapters/wechaty/adapter.js';
import { cardMarkdown, markdownText, templateCard } from '../../adapters/wecom/render.js';
import type { Markdown } from '../../bot/chat/markdown.js';
import type { OutgoingMessage } from '../../bot/chat/model.js';
import type { OutboxPayload } from '../../bot/outbox/outbox.js';
import { Directory } from '../../bot/org/directory.js';
import { loadOrgFile } from '../../bot/org/load.js';
import { buttonOf, createTestBot, reportEach, type TestBot } from '../helpers/bot.js';
import { sampleOrgFile } from '../helpers/db.js';
import { createFeishuTestBot } from '../helpers/feishu-bot.js';
import { messageEvent, signedRequest } from '../helpers/feishu-events.js';
import { FEISHU_CHAT, OPEN_ID } from '../helpers/feishu-org.js';

const at = (local: string) => new Date(`${local}+08:00`);

/** What people could type to make the bot's messages say more than they wrote: mentions, links, markup, HTML. */
const HOSTILE = [
  '<at user_id="all">所有人</at>',
  '<at id=all></at>',
  '[点此领取补贴](https://evil.example/x)',
  '**粗体**',
  '<font color="warning">红字</font>',
  '<@all>',
  '</div><script>alert(1)</script>',
  '`代码`',
  '\n# 标题',
  '<a href="https://evil.example/a">链接</a>',
  '![图](https://evil.example/i.png)',
  '\n> 引用',
  '\n- 列表',
  '_斜体_ ~~删除~~',
  ':OK: $urlVal',
  '&lt;at id=all&gt;',
  '\\*反斜杠\\*',
] as const;
const ALL = HOSTILE.join(' ');
/** A reporter's addition to their ticket, echoed back to them (「已补充到 IT-…：…」, at most 60 characters). */
const ADDITION = '<at user_id="all">所有人</at>[点此](https://evil.example/x)';
/** A ticket's title is its report's first clause (up to a comma or a full stop). */
const TITLE = '<at id=all></at>**粗体**[详情](https://evil';
/** What may appear in a title (a knowledge article's is at most 60 characters). */
const SHORT = '**粗体**<at id=all></at>[详情](https://evil.example/k)';

/** The sample hospital with a department, a system and a reporter whose names are hostile too. */
function hostileDirectory(): Directory {
  const org = loadOrgFile(sampleOrgFile);
  org.departments.find((d) => d.id === 'outpatient')!.name = '门诊部<at id=all></at>[详情](https://evil.example/d)';
  org.systems.find((s) => s.id === 'printer')!.name = '打印机**粗体**`代码`';
  org.people.find((p) => p.id === 'zhang-li')!.name = '张丽<at user_id="all">所有人</at>';
  return new Directory(org);
}

/** Every message of the run, as the outbox holds it (sends and updates). */
async function outboxMessages(t: TestBot): Promise<OutgoingMessage[]> {
  const rows = await t.bot.db.outbox.findMany({ orderBy: { id: 'asc' } });
  return rows.map((row) => (row.payload as unknown as OutboxPayload).message);
}

const ENTITIES: Record<string, string> = { nbsp: ' ', emsp: '\t', lt: '<', gt: '>', amp: '&', quot: '"' };
/** What a platform shows for text with entities: the characters themselves (decoded once, as a renderer does). */
const decodeEntities = (s: string) =>
  s.replace(/&(#\d+|\w+);/g, (whole, name: string) => (name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (ENTITIES[name] ?? whole)));

/** Where a hostile string shows in a rendering, read as people read it: line breaks and runs of spaces count as one space. */
const readable = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Each hostile string can still be read somewhere in what a platform shows (the names of those that cannot). */
const unreadable = (shown: string[], hostile: readonly string[], fold = (s: string) => s) => {
  const all = readable(fold(shown.join('\n')));
  return hostile.filter((h) => !all.includes(readable(fold(h))));
};

type Element = Record<string, any>;
function* elements(node: unknown): Generator<Element> {
  if (Array.isArray(node)) for (const x of node) yield* elements(x);
  else if (node && typeof node === 'object') {
    const el = node as Element;
    if (typeof el.tag === 'string') yield el;
    yield* elements(el.elements);
    yield* elements(el.columns);
  }
}

describe('text people wrote never becomes markup, on any platform', () => {
  let t: TestBot;
  let messages: OutgoingMessage[];

  beforeAll(async () => {
    t = await createTestBot({}, hostileDirectory(), at('2026-11-23T07:00:00'));
    await t.advance(1);
    await t.advance(50); // 07:51, the roster is filled

    // An SOP article whose title and steps are hostile, offered on a matching report.
    await t.say('huang-jun', 'engineers', `知识 新增 ${SHORT}｜蓝屏｜${ALL}`);
    // A report, an addition, the engineer's work on it, a solution and a reopening.
    await t.say('zhang-li', 'intake', `门诊3楼212诊室打印机卡纸，资产号PC-0231，电话8123。${ALL}`);
    const ticket = await t.bot.db.ticket.findFirstOrThrow({ orderBy: { id: 'desc' } });
    await t.say('zhang-li', 'intake', `补充一下：${ADDITION}`);
    await t.say('wang-wei', 'engineers', `认领 ${ticket.number}`);
    await t.say('wang-wei', 'engineers', `备注 ${ticket.number} ${ALL}`);
    await t.say('wang-wei', 'engineers', `进展 ${ticket.number} ${ALL}`);
    await t.say('wang-wei', 'engineers', `优先级 ${ticket.number} P2 ${ALL}`);
    await t.say('wang-wei', 'engineers', `解决 ${ticket.number} ${ALL}`);
    await t.say('zhang-li', 'intake', `确认 ${ticket.number} 未解决 ${ALL}`);
    await t.say('wang-wei', 'engineers', `转派 ${ticket.number} 网络组 ${ALL}`);
    // A report left open whose title is hostile, for the handover and the digest; the article above is offered on it.
    await t.say('he-ping', 'intake', `电脑蓝屏${TITLE}，资产号PC-0500。${ALL}`);

    // An outage: three departments report it, the engineer tells them of progress and the resolution.
    await reportEach(t, [
      ['li-na', `HIS打不开了 ${ALL}`],
      ['liu-yang', `HIS登不上了 ${ALL}`],
      ['zhou-min', `HIS报错了 ${ALL}`],
    ]);
    const incident = await t.bot.db.incident.findFirstOrThrow();
    await t.say('qian-bo', 'engineers', `认领 ${incident.number}`);
    await t.say('qian-bo', 'engineers', `进展 ${incident.number} ${ALL}`);
    await t.say('qian-bo', 'engineers', `解决 ${incident.number} ${ALL}`);

    // Requests: a data export whose scope is hostile (its title, in the digest), decided with a hostile comment.
    const apply = async (person: string, word: string, form: Record<string, string>, chat = 'intake') => {
      await t.say(person, chat, `申请 ${word}`);
      const card = (await t.transcript(chat)).filter((m) => m.card?.title.includes('填写')).at(-1)!;
      const result = await t.click(card.id, person, 'approval.submit', buttonOf(card, '提交申请').value, form);
      return /SQ-\d{8}-\d{3}/.exec(result.toast?.text ?? '')![0];
    };
    const decide = async (person: string, number: string, label: string, comment: string) => {
      const card = (await t.transcript(`user:${person}`)).filter((m) => m.card?.title.includes(number)).at(-1)!;
      await t.click(card.id, person, 'approval.decide', buttonOf(card, label).value, { comment });
    };
    const exported = await apply('liu-yang', '数据导出', { scope: ALL, purpose: ALL, masking: 'yes', recipient: SHORT });
    await decide('sun-hong', exported, '同意', ALL);
    await apply('liu-yang', '数据导出', { scope: SHORT, purpose: ALL, masking: 'no', recipient: '刘洋' });
    const permission = await apply('he-ping', '权限', { person: 'he-ping', system: 'nurse-ws', action: 'create', permissions: ALL, reason: ALL });
    await decide('xu-hui', permission, '驳回', ALL);
    await apply(
      'qian-bo',
      '变更',
      {
        title: SHORT,
        reason: ALL,
        content: ALL,
        risk: ALL,
        plan: ALL,
        rollback: ALL,
        test: ALL,
        systems: 'HIS',
        departments: '检验科',
        start: '2026-11-23 22:00',
        end: '2026-11-24 02:00',
        level: 'normal',
        emergency: 'no',
        implementer: 'qian-bo',
      },
      'engineers',
    );
    const change = await t.bot.db.approval.findFirstOrThrow({ where: { type: 'change' } });
    await decide('huang-jun', change.number, '同意', ALL);

    // The digest leadership asks for, and the day shift's handover with a hostile note.
    await t.say('qin-guo', 'leadership', '日报');
    await t.advance(10 * 60); // 17:51: the day shift hands over
    const handover = await t.bot.db.handover.findFirstOrThrow({ where: { status: 'draft' }, orderBy: { id: 'desc' } });
    await t.say(handover.fromId, `user:${handover.fromId}`, `交班 H${handover.id} ${ALL}`);
    await t.say('qin-guo', 'leadership', '日报');
    messages = await outboxMessages(t);
  }, 240_000);
  afterAll(async () => t?.close());

  it('has run every kind of message the hostile text can reach', () => {
    const cards = messages.flatMap((m) => (m.type === 'card' ? [m.card] : []));
    const titled = (fragment: string) => cards.filter((c) => c.title.includes(fragment));
    const markdownOf = (fragment: string) => titled(fragment).map((c) => JSON.stringify(c.markdown ?? ''));
    for (const title of ['工单', '新报修', '请确认', '🚨', '交接班', '信息科日报', '敏感数据导出', '权限申请', '变更申请'])
      expect(titled(title)).not.toEqual([]);
    const texts = messages.flatMap((m) => (m.type === 'text' ? [m.text] : []));
    for (const said of ['已补充到', '处理进展', '已处理完毕', '重新打开', '转派'])
      expect(texts.some((x) => x.includes(said) && x.includes('evil.example'))).toBe(true);
    // In card markdown: the article offered, an approver's comment, the handover's pending work, the digest's departments, requests and changes.
    expect(markdownOf('工单').some((m) => m.includes('先试试') && m.includes('evil.example'))).toBe(true);
    expect(markdownOf('敏感数据导出').some((m) => m.includes('evil.example'))).toBe(true);
    expect(markdownOf('交接班').some((m) => m.includes('<at id=all></at>**粗体**[详情](https'))).toBe(true);
    const digest = markdownOf('信息科日报').at(-1)!;
    for (const fragment of ['门诊部<at id=all>', '打印机**粗体**`代码`', '数据导出：**粗体**', '一般变更：**粗体**']) expect(digest).toContain(fragment);
    // The handover's note, and names, are plain fields.
    expect(titled('交接班').some((c) => c.fields.some((f) => f.value.includes('evil.example')))).toBe(true);
  });

  it('keeps what people wrote out of the bot’s markup: card markdown carries it as text parts', () => {
    const markups = messages
      .flatMap((m) => (m.type === 'card' && m.card.markdown ? (m.card.markdown as Markdown).parts : []))
      .flatMap((p) => ('md' in p ? [p.md] : []));
    expect(markups.length).toBeGreaterThan(0);
    for (const markup of markups) {
      expect(markup).not.toMatch(/[<>[\]]|evil|所有人|粗体|script|urlVal/);
    }
  });

  it('Feishu: only the bot’s mentions are <at> tags, and nothing else in a text or card is read as markup', () => {
    const shown: string[] = [];
    for (const m of messages) {
      if (m.type === 'text') {
        const { text } = renderText(m);
        expect(text.match(/<at /g)?.length ?? 0).toBe(m.mentions?.length ?? 0);
        const mentions = (m.mentions ?? []).map((x) => `<at user_id="${x.platformUserId}">${escapeFeishuText(x.name)}</at> `).join('');
        expect(text.startsWith(mentions)).toBe(true);
        const rest = text.slice(mentions.length);
        expect(rest).not.toMatch(/[<>[\]]/);
        expect(decodeEntities(rest)).toBe(m.text);
        shown.push(decodeEntities(rest));
        continue;
      }
      const card = renderCard(m.card);
      const mentions = (m.card.mentions ?? []).map((x) => `<at id=${x.platformUserId}></at>`).join(' ');
      for (const el of elements(card.body)) {
        if (el.tag === 'markdown' && mentions && el.content === mentions) continue;
        const content = el.tag === 'markdown' ? (el.content as string) : el.text?.tag === 'lark_md' ? (el.text.content as string) : undefined;
        if (content === undefined) {
          if (el.text?.tag === 'plain_text') shown.push(el.text.content);
          continue;
        }
        expect(content).not.toMatch(/[<>[\]]|https?:\/\//);
        expect(content).not.toMatch(/^\s*(#|>|-)/m);
        shown.push(decodeEntities(content));
      }
    }
    expect(unreadable(shown, [...HOSTILE, ADDITION, SHORT])).toEqual([]);
  });

  it('WeCom: only the bot’s <@userid> and <font> are markup; links, bold, headings and quotes in text show as written', () => {
    const shown: string[] = [];
    for (const m of messages) {
      if (m.type === 'text') {
        const content = markdownText(m);
        expect(content.match(/<@/g)?.length ?? 0).toBe(m.mentions?.length ?? 0);
        const rest = content.replace(/^(<@[\w.-]+> )+/, '');
        expect(rest).not.toMatch(/[<>&[\]*`#]/);
        shown.push(rest);
        continue;
      }
      const content = cardMarkdown(m.card);
      const lines = content.split('\n');
      // The bot's own markup: the bold title, the fields quoted, the note in grey.
      expect(lines[0]).toMatch(/^\*\*[^*]*\*\*$/);
      const body = content.replace(/<font color="comment">([^<]*)<\/font>$/, '$1').replace(/^> /gm, '');
      expect(body).not.toMatch(/[<>[\]]/);
      expect(body).not.toMatch(/^\s*#/m);
      shown.push(body);
      // Template cards are plain: WeCom reads no markup there.
      expect(JSON.stringify(templateCard(m.card, 'task', '信息科助手'))).not.toContain('<@');
    }
    expect(unreadable(shown, [...HOSTILE, ADDITION, SHORT], (s) => s.normalize('NFKC'))).toEqual([]);
  });

  it('Wechaty: plain text as written, with no mention people did not get from the bot', () => {
    const shown = messages.map(messageText);
    for (const text of shown) expect(text).not.toContain('\u2005');
    expect(unreadable(shown, [...HOSTILE, ADDITION, SHORT])).toEqual([]);
  });

  it('the simulator page shows card markdown with only the bot’s own <b> and <code>, text people wrote HTML-escaped', () => {
    const page = readFileSync(new URL('../../adapters/simulator/page.html', import.meta.url), 'utf8');
    const esc = new Function(`${/const esc = .*;/.exec(page)![0]} return esc;`)() as (s: string) => string;
    const md = new Function('esc', `${/const md = .*;/.exec(page)![0]} return md;`)(esc) as (s: string) => string;
    const shown: string[] = [];
    for (const m of messages) {
      if (m.type !== 'card' || !m.card.markdown) continue;
      const markup = m.card.markdown.parts.flatMap((p) => ('md' in p ? [p.md] : [])).join('');
      const html = md(toContent(m).card!.markdown!);
      expect(html.match(/<b>/g)?.length ?? 0).toBe((markup.match(/\*\*/g)?.length ?? 0) / 2);
      expect(html.match(/<code>/g)?.length ?? 0).toBe((markup.match(/`/g)?.length ?? 0) / 2);
      expect(html.replace(/<\/?(b|code)>/g, '')).not.toMatch(/[<>]/);
      shown.push(decodeEntities(html.replace(/<\/?(b|code)>/g, '')));
    }
    expect(unreadable(shown, HOSTILE)).toEqual([]);
  });
});

describe('text people wrote, through Feishu itself', () => {
  it('sends a reporter’s addition back as text, the reporter the only <at>', async () => {
    const { feishu, t } = await createFeishuTestBot();
    try {
      const say = async (text: string) => {
        const event = messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text, mentionBot: feishu.botOpenId });
        const request = signedRequest(event);
        const res = await t.bot.app.inject({ method: 'POST', url: '/feishu/events', headers: request.headers, payload: request.body });
        expect(res.statusCode).toBe(200);
        await t.bot.outbox.drain();
      };
      await say('门诊3楼212诊室打印机卡纸，资产号PC-0231，电话8123');
      // (所有人 would widen the scope: the answer would then name the new priority instead of the words.)
      await say('补充一下：<at user_id="all">值班</at>[点此](https://evil.example/x)');
      const told = feishu.sent.filter((m) => m.msgType === 'text').at(-1)!.content.text as string;
      expect(told).toMatch(
        /^<at user_id="ou_zhangli">张丽<\/at> 已补充到 IT-\d{8}-\d{4}：「补充一下：&lt;at user_id="all"&gt;值班&lt;\/at&gt;&#91;点此&#93;\(https:\/\/evil\.example\/x\)」。$/,
      );
      expect(told.match(/<at /g)).toHaveLength(1);
      for (const card of feishu.cardsIn(FEISHU_CHAT.intake)) expect(JSON.stringify(card.content)).not.toMatch(/<at |\]\(http/);
    } finally {
      await t.close();
      await feishu.close();
    }
  });
});
