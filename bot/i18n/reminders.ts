/** Recurring duties: reminder cards and their follow-ups. Placeholders are {name}. */
export const reminders = {
  'reminder.field.due': '截止',
  'reminder.note.done': '✅ {name} 于 {at} 完成',
  'reminder.note.sign': '信息科巡查后，请{department}负责人签字确认',
  'reminder.button.sign': '签字确认',
  'reminder.button.done': '已完成',
  'reminder.command.done': '完成 R{id}',
  'reminder.result.done': '{name} 已完成',
  'reminder.head': '科室负责人',
  'reminder.what.register': '登记「{name}」',
  'reminder.overdue.remind': '提醒：「{what}」已过截止时间仍未完成，请尽快完成并在卡片上确认。',
  'reminder.overdue.escalate': '「{what}」（{at} 提醒）至今无人完成，请督办。',
  'reminder.done.toast': '已登记完成，谢谢！',
  'reminder.done.usage': '完成 R12（编号见提醒卡片）',
} as const;
