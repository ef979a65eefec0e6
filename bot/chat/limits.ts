/**
 * The most characters a message (or a value typed into a card's form) may have. Longer ones are
 * answered with a request to shorten them before anything reads them: intake, segmentation and the
 * ticket's text stay bounded. Feishu takes texts of up to 150 KB and WeCom's app texts are 2,048
 * bytes; a report is read from its first 2,000 characters and no report needs more.
 */
export const MAX_MESSAGE_CHARS = 5000;

/** Whether `text` has more than `max` characters (code points, so an emoji counts once). */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let chars = 0;
  for (const _ of text) if (++chars > max) return true;
  return false;
}
