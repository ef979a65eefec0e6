/** Setting up a group from chat: the greeting, `绑定` / `解绑` / `群设置`. Placeholders are {name}. */
export const bindings = {
  'help.bindings': '**群设置**：在新群里发送 `绑定 报修群`（或 `绑定 工程师群`、`绑定 领导群`）设定本群用途，`解绑` 解除，`群设置` 查看本群的设置',
  'binding.usage': '绑定 报修群（或：绑定 工程师群、绑定 领导群）',
  'binding.unbindUsage': '解绑',
  'binding.showUsage': '群设置',
  'binding.what.bind': '绑定群',
  'binding.what.unbind': '解绑群',
  'binding.who': '管理员或信息科主任',

  'binding.purpose.intake': '报修群',
  'binding.purpose.engineers': '工程师群',
  'binding.purpose.leadership': '领导群',
  'binding.purpose.other': '通知群',
  'binding.meaning.intake': '群里@我描述的故障会生成工单，工单卡片和处理进展都回到本群',
  'binding.meaning.engineers': '派单卡片和升级提醒发到本群，工程师在卡片上认领',
  'binding.meaning.leadership': '重大故障通报和日报、周报、月报发到本群',
  'binding.meaning.other': '与「{chat}」有关的通知（如计划内的变更）发到本群',
  'binding.origin.org': '组织文件绑定',
  'binding.origin.chat': '{who}在聊天中绑定',

  'binding.welcome.unbound':
    '大家好，我是{botName}，信息科的报修助手。本群还没有设置用途，请管理员或信息科主任在群里发送「绑定 报修群」/「绑定 工程师群」/「绑定 领导群」完成设置；设置之前，我只在被@时回复。发送「帮助」查看我能做什么。',
  'binding.welcome.bound': '大家好，我是{botName}。本群是「{chat}」（{purpose}，{origin}）：{meaning}。发送「群设置」查看本群设置，发送「帮助」查看用法。',
  'binding.welcome.direct': '您好，我是{botName}。私聊无需设置，直接描述故障即可报修；发送「帮助」查看我能做什么。',
  'binding.hint.unbound':
    '本群还没有设置用途，我暂时不处理这里的消息。请管理员或信息科主任发送「绑定 报修群」/「绑定 工程师群」/「绑定 领导群」完成设置；如需报修，请到「{intakeChat}」。',

  'binding.bound': '已将本群绑定为「{chat}」（{purpose}）：{meaning}。发送「群设置」可随时查看，「解绑」可解除。',
  'binding.rebound': '已将本群从「{before}」改绑为「{chat}」（{purpose}）：{meaning}。',
  'binding.replaced': '原先绑定为「{chat}」的另一个群已解绑，{purpose}的消息此后发到本群。',
  'binding.movedAway': '本群已不再是「{chat}」：{who}把{purpose}改成了另一个群，此后{purpose}的消息不再发到这里。',
  'binding.already': '本群已是「{chat}」（{purpose}），无需重复绑定。',
  'binding.unbound':
    '已解除本群与「{chat}」（{purpose}）的绑定，我不再把本群当作{purpose}。如需重新设置，请发送「绑定 报修群」/「绑定 工程师群」/「绑定 领导群」。',
  'binding.unbind.none': '本群尚未绑定，无需解绑。',

  'binding.show.org': '本群是「{chat}」（{purpose}），由组织文件绑定，只能在组织文件中更改：{meaning}。',
  'binding.show.chat': '本群是「{chat}」（{purpose}），由{who}于 {when} 在聊天中绑定，管理员可发送「解绑」解除：{meaning}。',
  'binding.show.none': '本群尚未绑定，我只在被@时回复。请管理员或信息科主任发送「绑定 报修群」/「绑定 工程师群」/「绑定 领导群」完成设置。',
  'binding.show.direct': '这是与我的私聊，无需绑定：直接描述故障即可报修，审批卡片和提醒也发到这里。',
} as const;
