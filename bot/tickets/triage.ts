import type { Directory } from '../org/directory.js';
import type { Org, OrgSystem, Priority } from '../org/schema.js';
import { clauses, departmentNames, FAULT, hasAny, saysAny, troubledClauses, workingClauses } from './lexicon.js';

/** A report's priority by its impact, and whether the help desk should ask how far the fault reaches. */
export interface Triage {
  priority: Priority;
  /** The scope is unclear for a fault that could be P2: ask 只有我这台 / 整个科室 / 多个科室. */
  askScope: boolean;
  /** A security incident (ransomware, leak, credentials given away). */
  security?: boolean;
}

const CN_NUMBER = '[两二三四五六七八九十几\\d]';
/** "三个科室都…", "好几个病区": several departments or wards. */
const SEVERAL_UNITS = new RegExp(`(?:${CN_NUMBER}个|好几个?|很多个?|多个|几个)(?:科室|科|病区|院区|楼层)`);
/** "三台电脑", "五六个人", "几个护士": several machines or users. */
const SEVERAL_USERS = new RegExp(`${CN_NUMBER}{1,3}[多几]?(?:台|张床|个床|个人|个同事|个医生|个护士|位|个窗口|个诊室)`);
/** Everybody of a kind, said without naming a department: hospital-wide. */
const EVERYONE = /所有(?:的)?(?:医生|护士|医护|大夫|用户|工作站|医生站|护士站)|全体|医生都|护士都|医生们都|护士们都/;
/** ... unless a department or ward is named as their scope. */
const OWN_UNIT = /[楼层]|我们科|本科室|科里|科室|病区|护士站|我们这|窗口|诊室|药房|收费处|[\u4e00-\u9fa5]科/;
/** "二十多个病人在等", "外面排了一堆患者": how many patients are waiting. */
const MANY_WAITING = new RegExp(`(?:${CN_NUMBER}{1,3}[多几]?个?|好多|很多|一堆|一群|一大堆|一屋子|大量|不少|满)(?:的)?(?:病人|患者|病号|人|号)`);
/** Many patients held up, said outright (二十多个病人, 一屋子患者). */
const MANY_PATIENTS = new RegExp(`(?:${CN_NUMBER}{2,3}[多几]?个|好多|很多|一堆|一群|一屋子|一大帮|一走廊)(?:的)?(?:病人|患者)`);
/** 排了老长, 排着队, 排成一排: a queue. */
const QUEUE = new RegExp(`排(?:了|着|成)?(?:一|老|好|很|大)?(?:长|排|串|溜|队)|排了?${CN_NUMBER}{1,3}[多几]?个`);
const WAITING = /等|排|堵|走不了|催/;
/** "别的病人都能刷", "其他电脑都可以": the others work, so it is this one. */
const OTHERS_FINE = /(?:别的|其他|其它|别人|旁边|隔壁).{0,6}(?:都|也|还)(?:能|可以|正常|好|没事|没问题)/;
/** "其他床正常", "别的监护仪都好的": one bed or device of a patient-safety area, not the area. */
const OTHER_BEDS_FINE = /(?:别的|其他|其它)(?:床|电脑|机器|监护仪|设备|手术间|终端|台)[\u4e00-\u9fa5]{0,2}(?:都|也|还)?(?:能用|可以|正常|好的|没事|没问题)/;
/** "都登不上", "全黑屏了": all of them at once (not "我都…", which only stresses). */
const TOGETHER =
  /(?<!我|我们|我们这|这个|什么|啥|怎么|一点|哪|谁|东西|数据|内容|文件|资料|信息|记录|病历|字|天|日|次|直|早|晚|午|周|月|回|遍)(?:全|都)(?=[\u4e00-\u9fa5]?不|没|无法|黑|停|断|卡|坏|瘫|崩|挂|死机|蓝屏|报错|白屏|空白|是空|在转|一直)/;
/** 所有电脑, 全部窗口, 电脑全部…: every machine or person (not 全部填了, 全部空白, which say how much of one thing). */
const ALL_OF_THEM =
  /(?:所有|全部)的?(?:东西|电脑|机器|机子|终端|人|同事|医生|护士|窗口|工作站|医生站|护士站|设备|打印机|PDA|诊室|病区|床|科室|屏|账号)|(?:电脑|机器|机子|终端|人|同事|医生|护士|窗口|工作站|设备|打印机|PDA|诊室|台|屏)(?:都|也)?(?:全部|所有)|全部都?(?=[\u4e00-\u9fa5]?不|没|无法|黑|停|断|卡|坏|瘫|崩|挂|死机|蓝屏|报错)/i;
const QUOTED = /["“「『‘'][^"”」』’']{1,80}["”」』’']/g;
/** Shown by the software (报 "…", 提示 "…"), a quote is an error; any other quote is left out. */
const unquoted = (text: string) => text.replace(new RegExp(`(报|提示|显示|弹出|弹|话|说)\\s*${QUOTED.source}`, 'g'), '$1错 ').replace(QUOTED, ' ');
/** A virus that has spread, or phishing where credentials were given away. */
const SPREADING = /多台|几台|好几台|[两二三四五六七八九十几\d]台|都中|都弹|也开始|也中|扩散|传染|蔓延|全科|几个科|其他电脑也|别的电脑也|都感染|陆续/;
const PHISHING = /钓鱼|链接|邮件|短信|二维码/;
const GAVE_AWAY =
  /(?:输了|输入了|填了|填写了|给了|告诉了|提交了|登记了)[^，。]{0,8}(?:密码|账号|验证码|工号)|(?:密码|账号|验证码|工号)[^，。]{0,6}(?:输进去|输入进去|填进去|填上去|输了|填了|告诉|给了|发给|发过去)/;
/** Patient data sent where it must not go. */
const LEAKED =
  /(?:病人|患者|病历|隐私|身份证|名单|个人信息)[^，。]{0,24}(?:发到|发给|发去|发了去|发出去|发在|传到|传给|传去|传出去|传开|外发|泄|流出|被拍|拍了|贴到|贴在|挂在网上)/;
/** "怎么清理", "怎么导出": how-to (not 怎么又…, 怎么回事, which complain). */
const HOW = /怎么(?!又|还|老|总|突然|回事|了|也|都|就|一直|会|这么|办|整)|咋(?!又|回事|了|办|整|弄)/;
/** Right after a department's name (住院处今天没法办…, 放射科今天阅片全停了): it cannot do its business. */
const BUSINESS_STOPPED = /^.{0,4}(?:没法|没办法|办不了|做不了|干不了|无法办理|开展不了|停了|停摆|全停)/;
/** Not knowing how, not finding where: the trouble of a question. */
const LOST_WAY = /没找到|找不到|不会|不知道|不懂/g;
/** A lure not taken, a virus already removed: reported, but nothing is wrong now. */
const AVERTED = /没点|没填|没输|没有点|没有填|没有输|已经?删了|清掉了|清除了|杀掉了|已经?隔离|已处理/;
/** Question forms built of a negation (能不能, 可不可以): not a fault word. */
const ASKING = /能不能|可不可以|是不是|会不会|行不行|有没有|能否/g;
/** Outpatient with inpatient or emergency: several key departments at once. */
/** 一到三楼, 3-5层: several floors at once. */
const FLOORS = /[一二三四五六七八九十\d]+\s*(?:楼|层)?\s*(?:到|至|-|~)\s*[一二三四五六七八九十\d]+\s*(?:楼|层)/;
const KEY_DEPARTMENTS = /门诊.{0,12}(?:住院|急诊|病区)|(?:住院|急诊|病区).{0,12}门诊|院里.{0,6}(?:全|都)/;
/** Said about the future or a hypothetical: a question, not a fault now. */
const HYPOTHETICAL = /如果|万一|假如|以后|要是|会不会|怎么预防|防止/;

/**
 * Whether a message says how far a fault reaches or how urgent it is (不止我一个, 门口排了二十多个号,
 * 没事慢慢来, 一直这样): said after a report, it is about that report.
 */
export function statesScope(text: string, directory: Directory): boolean {
  const w = directory.org.intake;
  const lists = [w.hospitalWide, w.departmentWide, w.queueing, w.onlyMe, w.noHurry, w.safetyAreas];
  return (
    lists.some((l) => hasAny(text, l)) ||
    [QUEUE, SEVERAL_UNITS, SEVERAL_USERS, EVERYONE, FLOORS, OTHERS_FINE].some((re) => re.test(text)) ||
    /(?:都|也|一直|还是|老是)这样/.test(text) ||
    clauses(text).some((c) => MANY_WAITING.test(c) && WAITING.test(c))
  );
}

/** Reads impact as the hospital defines it (DOMAIN.md), from the intake words of the organisation file. */
export function triage(said: string, system: OrgSystem | undefined, directory: Directory, whole = said): Triage {
  // A quoted error message ("参保地未开通", "patient id not found") says something failed; its words
  // are the software's, not the reporter's request or question.
  const text = unquoted(said);
  const full = unquoted(whole);
  const words = directory.org.intake;
  const legacy = directory.org.priorities;
  // 能不能, 是不是 ask; they say nothing is broken.
  const troubled = troubledClauses(text).join('，').replace(ASKING, ' ');
  const fault = FAULT.test(troubled);
  const asking = hasAny(text, words.questions) || HOW.test(text) || /[吗么](?=$|[\s,，。?？!！])|[?？]/.test(text);
  // A how-to whose only trouble is not finding the way (从哪打印, 菜单没找到) is still a question.
  const question = asking && (!fault || HYPOTHETICAL.test(text) || !FAULT.test(troubled.replace(LOST_WAY, ' ')));
  const routine = !fault && hasAny(troubled, words.routine);
  const onlyMe = hasAny(text, words.onlyMe) || OTHERS_FINE.test(text);

  // Security first, then patient safety: P1 whatever their size, unless the reporter says it does not matter now.
  if ((PHISHING.test(text) || /病毒|中毒|木马/.test(text)) && AVERTED.test(text)) return { priority: 'P4', askScope: false, security: true };
  if (!question && securityIncident(text, troubled, words)) return { priority: 'P1', askScope: false, security: true };
  const unhurried = hasAny(text, words.noHurry);
  if (fault && !question && !unhurried && !OTHER_BEDS_FINE.test(text) && hasAny(troubled, words.safetyAreas) && !safetyAreaWorks(text, words))
    return { priority: 'P1', askScope: false };
  if (question || routine) return { priority: 'P4', askScope: false };
  if (!fault && hasAny(troubled, words.noHurry)) return { priority: 'P4', askScope: false };

  if (!onlyMe && fault && (hospitalWide(troubled, words, legacy, directory) || KEY_DEPARTMENTS.test(full) || FLOORS.test(full)))
    return { priority: 'P1', askScope: false };
  // Patients queuing is P2 even when only one machine is down (门诊药房就这一台 病人排着队呢).
  if (fault && !unhurried && queueing(troubled, words)) return { priority: 'P2', askScope: false };
  if (!onlyMe && fault) {
    if (departmentWide(troubled, words, legacy, directory)) return { priority: unhurried ? 'P4' : 'P2', askScope: false };
  }
  if (unhurried || (legacy.P4 && hasAny(troubled, legacy.P4.keywords) && !fault)) return { priority: 'P4', askScope: false };
  if (!fault) return { priority: 'P3', askScope: false };
  const shared = !!system && system.category !== 'hardware';
  const askScope = !onlyMe && shared && hasAny(text, words.collective);
  return { priority: 'P3', askScope };
}

/** The patient-safety area itself is said to work (手术间那边全部正常): the fault is elsewhere. */
function safetyAreaWorks(text: string, words: Org['intake']): boolean {
  return workingClauses(text).some((c) => hasAny(c, words.safetyAreas));
}

function securityIncident(text: string, troubled: string, words: Org['intake']): boolean {
  if (saysAny(troubled, words.securityIncidents)) return true;
  if (/病毒|中毒|报毒|蠕虫|木马/.test(troubled) && SPREADING.test(troubled)) return true;
  if (/后缀|扩展名/.test(troubled) && /变|改|奇怪/.test(troubled)) return true;
  if (LEAKED.test(text)) return true;
  return PHISHING.test(text) && GAVE_AWAY.test(text);
}

function hospitalWide(text: string, words: Org['intake'], legacy: Org['priorities'], directory: Directory): boolean {
  if (saysAny(text, words.hospitalWide) || (legacy.P1 && saysAny(text, legacy.P1.keywords))) return true;
  if (SEVERAL_UNITS.test(text) || KEY_DEPARTMENTS.test(text) || FLOORS.test(text)) return true;
  if (EVERYONE.test(text) && !OWN_UNIT.test(text)) return true;
  // Several departments named in the troubled clauses, stopped together (门诊、急诊都挂不了号).
  // (门诊病人 are outpatients waiting, not the outpatient department.)
  const units = text.replace(/(?:门诊|住院|急诊)(?=病人|患者|病号)/g, ' ');
  if (departmentsNamed(units, directory) >= 2 && /都|全|也/.test(units) && /[和、跟及与,，/\s]|还有/.test(units)) return true;
  // 内科外科儿科诊室都…: three departments of any name.
  return new Set([...text.matchAll(/[\u4e00-\u9fa5]{1,2}科(?!室|技)/g)].map((m) => m[0]).filter((n) => !n.endsWith('信息科'))).size >= 3;
}

function departmentWide(text: string, words: Org['intake'], legacy: Org['priorities'], directory: Directory): boolean {
  if (saysAny(text, words.departmentWide) || (legacy.P2 && saysAny(text, legacy.P2.keywords))) return true;
  if (SEVERAL_USERS.test(text) || EVERYONE.test(text)) return true;
  if (queueing(text, words)) return true;
  if (departmentStopped(text, directory)) return true;
  // Plural subjects: 电脑都登不上, 全黑屏了, 所有的PDA, CT室跟MR室的工作站都…
  // 关都关不掉, 点都点不动: the verb said twice stresses, it does not count machines.
  // 重装了驱动都不行, 试了几次都…: even after trying, not all of them.
  const plain = text.replace(/(\p{Script=Han})都\1/gu, '$1').replace(/((?:了|过|返|完)[\u4e00-\u9fa5A-Za-z]{0,6})(?:都|也)(?=[\u4e00-\u9fa5]?不|没)/g, '$1还');
  if (TOGETHER.test(plain) || ALL_OF_THEM.test(text) || /[跟和与及、].{1,8}都/.test(text)) return true;
  return false;
}

/** Patients held up: a queue, a crowd, or how many are waiting. */
function queueing(text: string, words: Org['intake']): boolean {
  if (hasAny(text, words.queueing) || QUEUE.test(text) || MANY_PATIENTS.test(text) || /(?:病人|患者|病号)们?(?:都|全)(?!能|可以|正常|好|没事)/.test(text))
    return true;
  return clauses(text).some((c) => MANY_WAITING.test(c) && WAITING.test(c));
}

/** A department named as the one that cannot work: 住院处今天没法办出院结算, 放射科今天阅片全停了. */
function departmentStopped(text: string, directory: Directory): boolean {
  return departmentNames(directory).some(({ name }) => occurrencesAfter(text, name).some((rest) => BUSINESS_STOPPED.test(rest)));
}

function occurrencesAfter(text: string, name: string): string[] {
  const out: string[] = [];
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + name.length)) out.push(text.slice(i + name.length));
  return out;
}

/**
 * How many different departments a text names, longest names first, each stretch of text read once
 * (门诊药房 is the pharmacy, not the outpatient department as well). 信息科 is the help desk itself.
 */
function departmentsNamed(text: string, directory: Directory): number {
  let rest = text;
  const found = new Set<string>();
  for (const n of departmentNames(directory)) {
    if (rest.includes(n.name)) {
      found.add(n.id);
      rest = rest.split(n.name).join(' ');
    }
  }
  return found.size;
}
