/** Patient names, ID-card numbers and phone numbers masked wherever data leaves its operational use. */
export function mask(text: string): string {
  return (
    text
      .replace(/(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)/g, '$1********$2')
      .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2')
      // The surname stays; the given name (one or two characters, not a particle such as 的) is hidden.
      .replace(/(患者|病人|病患)([\u4e00-\u9fa5])(?:(?![的在是了和与及等说要的])[\u4e00-\u9fa5]){1,2}/g, '$1$2*')
  );
}
