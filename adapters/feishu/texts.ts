/** The few texts the Feishu adapter writes itself. */
export const texts = {
  unknownAction: '无法识别的操作，请刷新卡片后重试。',
  truncated: '…（内容过长，已截断）',
} as const;
