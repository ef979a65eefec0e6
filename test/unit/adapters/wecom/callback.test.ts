import { describe, expect, it } from 'vitest';
import { robotEventOf } from '../../../../adapters/wecom/callback.js';

/** An enter_chat callback as WeCom documents it: the same JSON over the HTTP callback and as the long connection's frame body. */
const enterChat = (chattype: 'group' | 'single', chatid?: string) => ({
  msgid: 'CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=',
  create_time: 1700000000,
  aibotid: 'AIBOTID',
  ...(chatid ? { chatid } : {}),
  chattype,
  from: { corpid: 'wpxxxx', userid: 'zhangli' },
  msgtype: 'event',
  event: { eventtype: 'enter_chat' },
});

describe('the smart robot’s enter_chat', () => {
  it('is the robot’s arrival in a group, by whoever brought it there', () => {
    expect(robotEventOf(enterChat('group', 'wrWardGroup'), '信息科助手')).toEqual({
      event: {
        platform: 'wecom',
        eventId: 'CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=',
        kind: 'joined',
        chat: { id: 'wrWardGroup', type: 'group' },
        user: { platformId: 'zhangli' },
        mentionsBot: false,
        attachments: [],
      },
      responseUrl: undefined,
    });
  });

  it('is nothing for a person opening the robot’s single chat (a direct chat needs no setting up)', () => {
    expect(robotEventOf(enterChat('single'), '信息科助手')).toBeUndefined();
    expect(robotEventOf({ ...enterChat('group'), chatid: undefined }, '信息科助手')).toBeUndefined();
  });
});
