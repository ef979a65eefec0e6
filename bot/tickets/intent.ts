import type { Ticket } from '../../generated/prisma/client.js';
import type { Directory } from '../org/directory.js';
import type { ReportFields } from './extract.js';
import { departmentNames, FAULT, fold, hasAny } from './lexicon.js';
import { statesScope } from './triage.js';
import { mandarinOf } from './dialect.js';

/**
 * What a reporter's message means for their own ticket, read before anything else:
 * `fixed` (好了, 自己弄好了, 能用了不用来了), `stillBroken` (还是不行, 重启了也没用), `cancel` (不用修了, 撤销).
 */
export type Ending = 'fixed' | 'stillBroken' | 'cancel';

/** Politeness, addressees, laughter and emoji: what is left when they are taken away is the message. */
const COURTESY =
  /谢谢|多谢|感谢|谢了|辛苦了?|麻烦(?:你们|您|了)+|不好意思|打扰了|哈+|嘿+|呵+|嘻+|啦|呀|哦|噢|喔|嗯+|哈|呢|吧|哟|信息科的?|[\u4e00-\u9fa5]工(?=[，,。!！~～\s]|$)|老师|师傅|工程师|同志|大家|各位|亲|您|你们?|[\p{Extended_Pictographic}\uFE0F\u200d]|\[[^\]]{1,6}\]|@\S+/gu;
const STRIP = /[\s，。、,.!！~～?？:：;；…·"'“”‘’()（）【】]/g;

/** The problem went away: 好了, 能用了, 自己弄好了, 重启就好了, 不用来了. */
const FIXED =
  /(?:^|[^不没])(?:好了|可以了|能用了|正常了|恢复了|恢复正常|没问题了|解决了|搞定了|弄好了|修好了|好使了|能打开了|能登上了|能上网了|有网了|通了|能登进去了|登进去了|能进去了|进得去了|能出来了|不卡了|能打印了|不用来了|不用过来了|不需要来了|不用麻烦了|不用跑了)/;
/** Asked, not told: 好了吗, 修好了没. */
const ASKED = /(?:好了|可以了|通了|修好了)(?:吗|没|么|没有)|什么时候|啥时候|多久/;
const STILL_BROKEN =
  /还是不行|还是不能|还是没用|还是没反应|还是一样|还是老样子|还是那样|还那样|还没好|还不行|依然|依旧|仍然|仍旧|照样|又不行了|又坏了|又出现了|又来了|又开始了|又这样了|又卡|又死机|又蓝屏|又黑屏|又断|又登不上|又打不开|没有用|没用|不管用|没效果|不起作用|也不行|也没用|还是(?=[\u4e00-\u9fa5]?不|没|报错|卡|死机|蓝屏|黑屏|断|白屏|转圈|一直)/;
const CANCEL = /不用修了|不需要修了|不修了|不用处理了|不需要处理了|不用弄了|撤销|撤回报修|取消报修|取消工单|算了|不用了|不需要了|先不用了|报错了(?:群|地方)/;
/** Words of a service call or a request for help, even without a fault word. */
const ASKS_FOR_HELP =
  /帮(?:忙|我|一下)?(?:看|弄|处理|修|调|检查|装|设置|开|查)|来(?:一)?(?:下|趟)|过来(?:看|一下|处理)|看一下|看看|修一下|处理一下|怎么回事|咋回事|怎么了|咋了|什么情况|啥情况/;
/** The IT things a question can be about (a question about a meeting is chatter). */
const IT_THINGS = /电脑|软件|系统|网|打印|账号|密码|权限|设备|驱动|邮箱|wifi|u盘|显示器|鼠标|键盘|插件|浏览器|程序|客户端|服务器|信息科|值班电话/i;

function bare(text: string): string {
  return mandarinOf(text.normalize('NFKC')).replace(COURTESY, '').replace(STRIP, '');
}

/** How the reporter's message ends (or continues) their own ticket, if it is one of those. */
export function endingOf(text: string, directory: Directory): Ending | undefined {
  const t = fold(text, directory.org.intake.spellings);
  if (STILL_BROKEN.test(t)) return 'stillBroken';
  if (CANCEL.test(t) && !FAULT.test(t.replace(CANCEL, ''))) return 'cancel';
  if (FIXED.test(t) && !ASKED.test(t) && !FAULT.test(t.replace(FIXED, ''))) return 'fixed';
  return undefined;
}

/**
 * What kind of message this is, before any ticket is looked at:
 * - `chatter`: thanks, greetings, acknowledgements, laughter, notices and talk among colleagues;
 * - `detail`: no fault of its own, but something for a ticket (a phone, a place, 麻烦快点, 病人在等);
 * - `report`: names a fault, a system or device, an asset, asks for help or asks about an IT thing.
 */
export type MessageKind = 'chatter' | 'detail' | 'report';

/** Notices among colleagues (meetings, training, reminders): chatter unless something is broken. */
const NOTICE =
  /^各位|暂停使用|升级期间|期间暂停|提前打印|我会.{0,12}(?:交|发|提交|整理|报)|统一(?:整理|提交|报)|会议(?!室)|开会|例会|培训|通知|记得|别忘|带上|带好|准时|参加|签到|集合|聚餐|吃饭|放假|调休|值班表|排班表|上课|讲座|考试|维护|请大家|提前保存|停机|放在|自己拿|请自取|领取|借一下|借用|借我|还给|用完了/;
/** Praise of a repair or a device that works: chatter, however it names the device. */
const PRAISE = /好乖|很乖|争气|表现(?:好|不错)|好用|顺手|好得很|挺好|很好用|真快|真好|很快就|修得|弄得好|满意|给力|点赞|好多了|正常了|没问题了/;
const LENDING =
  /谁(?:见到|看到|见过|看见|拿了|拿走)|有没有人(?:见到|看到|拿)|借我|借一下|借用|借个|借给|落(?:我|在|你)这|落下了|忘(?:在|拿)|来拿|帮你收着|先收着/;
const TO_COLLEAGUE = /^[\u4e00-\u9fa5]{1,3}(?:大夫|医生|主任|护士长|姐|哥|老师|同学)[\s，,]|你(?:给|帮)(?:我|他|她)?(?:开|写|签|看|拿)/;
const ACK = /^(?:收到|好的|好嘞|ok|明白|了解|知道了)[\s，,!！。]/i;
/** A flaw described without a fault word (有一条竖线, 格式有点乱, 满了). */
const FLAW = /有点|有一条|有条|满了|不太|不清|看不清|有问题|怪怪|奇怪/;
/** Urging or waiting: about a ticket, not a new one. */
const URGING = /快点|尽快|赶紧|急|等着|在等|等你们|催|什么时候|多久|到了吗|来了吗|还要多久/;

export function kindOf(text: string, fields: ReportFields, directory: Directory): MessageKind {
  const rest = bare(text);
  if (rest.length === 0) return 'chatter';
  if (
    /^(?:你好|您好|早|早上好|上午好|中午好|下午好|晚上好|晚安|hi|hello|在吗|在不在|在|好的?|好嘞|好滴|好哒|好吧|行|可以|ok|收到|了解|明白|知道了|懂了|没事|没事了|拜拜|再见|下班了?|加油|棒|赞|厉害|笑死|那我等你们(?:过来)?|我等你们|等你们)+$/i.test(
      rest,
    )
  ) {
    return 'chatter';
  }
  const t = fold(text, directory.org.intake.spellings);
  // A fault said only to deny it (一次都没卡纸) is no fault.
  const fault = FAULT.test(t.replace(DENIED, ' '));
  if (fields.security) return 'report';
  const { questions, routine } = directory.org.intake;
  const asks = hasAny(t, questions) || hasAny(t, routine) || /[吗么](?=$|[\s,，。?？!！])|[?？]|吧$/.test(t);
  // A question to the help desk about an IT thing, even one about an upgrade or a holiday.
  const asksHelpDesk = /^(?:请问|咨询|想问|问一下|问下)/.test(t) && (!!fields.system || IT_THINGS.test(t));
  if (asksHelpDesk) return 'report';
  // A joke or a laugh about a device (哈哈 我这电脑比我年纪还大), with nothing broken.
  if (/^(?:哈{2,}|呵{2,}|嘻{2,}|h{3,}|笑死)/i.test(t) && !fault && !fields.assetNumber) return 'chatter';
  if ((NOTICE.test(t) || PRAISE.test(t)) && !fault && !fields.assetNumber) return 'chatter';
  // Lending and lost-and-found among colleagues (你那pda借我用一下, 扫码枪落我这儿了), whatever it says.
  if (LENDING.test(t) && !fields.assetNumber) return 'chatter';
  // Said to a colleague by name (刘大夫 …你给开下医嘱) or an acknowledgement (收到 马上改密码), with nothing broken.
  if ((TO_COLLEAGUE.test(t) || ACK.test(t)) && !fault && !fields.assetNumber && !/[?？]/.test(t)) return 'chatter';
  if (fault || fields.assetNumber || ASKS_FOR_HELP.test(t)) return 'report';
  if (fields.systemNamed || (asks && (fields.system || IT_THINGS.test(t)))) return 'report';
  // Named by a function word only (医保目录, 内网邮箱, 监护仪): a report when it asks, requests or describes a flaw.
  if (fields.system && (hasAny(t, routine) || hasAny(t, directory.org.intake.noHurry) || FLAW.test(t))) return 'report';
  const place = departmentNames(directory).some(({ name }) => t.includes(name));
  if (fields.phone || fields.location || place || URGING.test(t) || CONTINUES.test(t) || statesScope(t, directory)) return 'detail';
  return 'chatter';
}

/** A fault word denied (没卡纸, 从没死机): the device works. */
const DENIED = /(?:一次都|从来|从|都|也|还)?(?:没|没有|不曾)(?:卡纸|卡过|死机|死过|蓝屏|坏|坏过|断过|出过问题)/g;

/** Says it is about the ticket already reported: 就是上面那个问题, 补充一下, 刚才说的那台. */
export const CONTINUES =
  /^(?:是|其实是|应该是|原来是)(?!不是)|上面那个|上面说的|刚才那个|刚才说的|刚刚说的|刚才的|就是那个|还是那个|同一个问题|同样的问题|补充一下|补充|再说明|说明一下|忘了说|刚才忘/;

/** Says there is another fault than the ticket's: another system, asset or place, or 另外 / 还有一台. */
const ANOTHER = /另外|另一台|另一个|另有|还有一台|还有一个|还有个|再报|再说一个|顺便(?:报|说)|其他的?问题|还有就是/;

export function namesAnotherFault(text: string, fields: ReportFields, ticket: Ticket, { sameFault = false } = {}): boolean {
  const t = mandarinOf(text.normalize('NFKC'));
  if (ANOTHER.test(t)) return true;
  // "电脑重启了还是打不开" (sameFault): the device it happens on, not another system.
  // Another system, named with a fault of its own, an asset or a question of its own (全部电脑 only says
  // how far it reaches).
  const ownFault = FAULT.test(t) || !!fields.assetNumber || fields.priority === 'P4';
  if (!sameFault && ownFault && fields.systemNamed && fields.system && ticket.system && fields.system.name !== ticket.system && !CONTINUES.test(t)) return true;
  if (fields.assetNumber && ticket.assetNumber && fields.assetNumber !== ticket.assetNumber) return true;
  // Another department that also has it (人事科HIS也登不上了, from someone who reported their own).
  if (fields.systemNamed && fields.departmentId && ticket.departmentId && fields.departmentId !== ticket.departmentId && /也/.test(t)) return true;
  const place = fields.location;
  if (place && ticket.location && (place.room || place.floor) && place.text !== ticket.location && !ticket.location.includes(place.text)) return true;
  return false;
}

/** How far a fault reaches, as the reporter answers the scope question. */
export type Scope = 'one' | 'department' | 'several';

export const SCOPE_PRIORITY = { one: 'P3', department: 'P2', several: 'P1' } as const;

/** A typed answer to the scope question: 只有我这台 / 整个科室都不能用 / 多个科室. */
export function scopeAnswer(text: string): Scope | undefined {
  const t = bare(text);
  if (/多个科室|好几个科室|几个科室|好几个病区|几个病区|多个病区|全院|别的科室也|其他科室也|楼上楼下|整栋|门诊也|住院也/.test(t)) return 'several';
  if (/整个科|全科|科室都|科里都|我们科都|整个病区|大家都|都不能用|都用不了|不止我|不光我|都这样|全部电脑|所有电脑/.test(t)) return 'department';
  if (/只有我|就我|我这台|只有这台|就这一台|一台|别人没事|别人都正常|其他都正常|其他人正常/.test(t)) return 'one';
  return undefined;
}
