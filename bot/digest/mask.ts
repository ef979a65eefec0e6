/** Patient names, ID-card numbers and phone numbers masked wherever data leaves its operational use. */
export function mask(text: string): string {
  return text
    .replace(/(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)/g, '$1********$2')
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2')
    .replace(/(患者|病人|病患)([\u4e00-\u9fa5])[\u4e00-\u9fa5]{1,2}/g, '$1$2*');
}
