/** Every text the bot writes, in Chinese. Placeholders are {name}. */
export const zh = {
  'help.title': '{botName} · 使用帮助',
  'help.body': [
    '**报修**：在「{intakeChat}」直接描述故障，例如：',
    '`门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123`',
    '我会生成工单、判断优先级和响应时限，并通知值班工程师。',
    '',
    '**工程师**：在派单卡片上点「认领」，或发送 `认领 IT-20261123-0001`。',
    '**查询工单**：发送 `工单 IT-20261123-0001`。',
    '**帮助**：发送 `帮助` 或 `/help`。',
  ].join('\n'),

  'ticket.card.title': '工单 {number} · {priority} {priorityName}',
  'ticket.dispatch.title': '新报修 {number} · {priority} {priorityName}',
  'ticket.field.status': '状态',
  'ticket.field.priority': '优先级',
  'ticket.field.reporter': '报修人',
  'ticket.field.location': '位置',
  'ticket.field.asset': '资产号',
  'ticket.field.phone': '联系电话',
  'ticket.field.system': '系统/类别',
  'ticket.field.group': '处理组',
  'ticket.field.assignee': '处理人',
  'ticket.priority.deadline': '{priority} {priorityName}，{within}内响应（{due} 前）',
  'ticket.status.open': '待认领',
  'ticket.status.claimed': '处理中',
  'ticket.status.resolved': '已解决',
  'ticket.status.closed': '已关闭',
  'ticket.button.claim': '认领',
  'ticket.note.created': '已通知{group}，请保持电话畅通。',
  'ticket.note.claimed': '{engineer} 已认领，{minutes} 分钟响应',
  'ticket.claim.toast': '已认领 {number}，请尽快联系报修人',
  'ticket.claim.notifyReporter':
    '您报修的 {number} 已由 {engineer}（{group}{phone}）认领，工程师会尽快与您联系或到场处理。',
  'ticket.claim.phone': '，电话 {phone}',
  'ticket.missing.hint': '为便于工程师尽快处理，请补充：{items}（直接回复即可）。',
  'ticket.missing.asset': '资产编号（设备上的标签，如 PC-0231）',
  'ticket.missing.phone': '联系电话或分机',
  'ticket.missing.system': '出问题的系统（如 HIS、电子病历、LIS、PACS）',

  'chat.notAReport': '您好！如需报修，请描述故障现象、位置和联系电话；发送「帮助」查看用法。',
  'chat.reportElsewhere': '请在「{intakeChat}」报修；发送「帮助」查看我能做什么。',

  'priority.P1': '紧急',
  'priority.P2': '高',
  'priority.P3': '中',
  'priority.P4': '低',
  'duration.minutes': '{n} 分钟',
  'duration.hours': '{n} 小时',
  'duration.workday': '1 个工作日',

  'error.unknown_person': '您还未登记在本院通讯录中，暂时无法使用。请联系信息科（分机 8800）登记。',
  'error.not_it_staff': '只有信息科工程师可以认领工单。',
  'error.ticket_not_found': '未找到工单 {number}，请核对编号。',
  'error.already_claimed': '{number} 已由 {engineer} 认领，无需重复认领。',
  'error.already_claimed_by_you': '您已认领 {number}。',
  'error.ticket_not_open': '{number} 当前状态为「{status}」，不能认领。',
  'error.bad_arguments': '指令格式不对。用法：{usage}',
  'error.unknown_action': '这个按钮已失效，请刷新后重试。',
  'error.duplicate_action': '该操作已处理，请勿重复点击。',
  'error.internal': '系统开小差了，请稍后再试；紧急情况请拨打信息科值班电话。',
} as const;

export type TextKey = keyof typeof zh;
export type TextParams = Record<string, string | number>;

export function t(key: TextKey, params: TextParams = {}): string {
  return zh[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
