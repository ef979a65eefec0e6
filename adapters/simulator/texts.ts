/** What the simulator's API answers when a request does not fit; its page shows these to whoever tries the bot. */
export const texts = {
  invalidUserId: '无效的用户 id',
  imageType: '图片须为 PNG / JPEG / GIF / WebP 的 data URL',
  imageTooLarge: '图片不能超过 5 MB',
  textTooLong: (max: number) => `消息过长（最多 ${max} 字）`,
  tooManyImages: '一次最多 9 张图片',
  emptyMessage: '消息不能为空',
  clockForwardOnly: '只能向前拨动时钟',
  ownDirectChatOnly: '只能在自己的私聊中发言',
  noSuchImage: '没有这张图片',
  noSuchMessage: (messageId: string) => `这个聊天里没有消息 ${messageId}`,
  unknownChat: (chatId: string) => `未知的聊天：${chatId}`,
  noSuchCard: (messageId: string) => `没有这张卡片：${messageId}`,
  invalidChatId: '无效的群 id',
  chatNameMissing: '请写群名',
  botAdded: (botName: string) => `邀请「${botName}」加入了群聊`,
  notStored: '数据库暂时不可用，这条消息没有保存，请稍后重发。',
} as const;
