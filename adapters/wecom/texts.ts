/** The few texts the WeCom adapter writes itself. */
export const texts = {
  /** The label of the core's status field: a template card shows it under the title instead of as a field. */
  statusLabel: '状态',
  replyWithComment: (command: string) => `填写意见请回复：${command}`,
  /** A button shown as the message that does the same, where the card cannot show buttons. */
  sendToRobot: (label: string, botName: string, command: string) => `${label}：发送「@${botName} ${command}」`,
  /** A quoted message, kept with the text that replies to it. */
  quoted: (quoted: string) => `（引用：${quoted}）`,
} as const;
