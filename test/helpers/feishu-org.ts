import { Directory } from '../../bot/org/directory.js';
import { sampleDirectory } from './db.js';

/** Feishu ids for a few people and the three chats of the sample hospital. */
export const OPEN_ID = { 'zhang-li': 'ou_zhangli', 'wang-wei': 'ou_wangwei', 'qian-bo': 'ou_qianbo', 'liu-yang': 'ou_liuyang' } as const;
export const FEISHU_CHAT = { intake: 'oc_intake', engineers: 'oc_engineers', leadership: 'oc_leadership' } as const;

export function feishuDirectory(): Directory {
  const { org } = sampleDirectory();
  for (const person of org.people) {
    const openId = OPEN_ID[person.id as keyof typeof OPEN_ID];
    if (openId) person.ids = { feishu: { open_id: openId } };
  }
  org.people.find((p) => p.id === 'he-ping')!.mobile = '13900001111';
  for (const chat of org.chats) chat.ids = { feishu: FEISHU_CHAT[chat.id as keyof typeof FEISHU_CHAT] };
  return new Directory(org);
}
