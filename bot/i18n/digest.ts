/** The leadership digest and the registers exported as xlsx. Placeholders are {name}. */
export const digest = {
  'digest.notServed': '**未计入时效**：撤销 {cancelled}，误报 {false_alarm}，重复报修 {duplicate}，无需处理 {not_needed}',
  'report.fault.closeNote': '关闭说明',
  'report.summary.notServed': '撤销/误报/重复/无需处理',
} as const;
