import { Directory } from '../../bot/org/directory.js';
import { sampleDirectory } from './db.js';

export const USERID = { 'zhang-li': 'zhangli', 'chen-jing': 'chenjing', 'gao-yan': 'gaoyan', 'wang-wei': 'wangwei', 'li-na': 'lina' } as const;
export const WECOM_CHAT = { intake: 'wrIntakeGroup', engineers: 'wrEngineersGroup', leadership: 'webhook:leader-key' } as const;

/** The sample hospital with WeCom user ids for a few people and its three chats bound on WeCom. */
export function wecomDirectory(): Directory {
  const { org } = sampleDirectory();
  for (const person of org.people) {
    const userid = USERID[person.id as keyof typeof USERID];
    if (userid) person.ids = { wecom: { userid } };
  }
  for (const chat of org.chats) chat.ids = { wecom: WECOM_CHAT[chat.id as keyof typeof WECOM_CHAT] };
  return new Directory(org);
}
