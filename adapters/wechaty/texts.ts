/** How a Wechaty chat, which has no buttons, words a card's reply commands. */
export const texts = {
  replyWith: (label: string, command: string) => `${label}：回复「${command}」`,
} as const;
