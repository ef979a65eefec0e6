/**
 * What tells a patient's name from a word after 患者 / 病人 / 病患: the common surnames, the
 * characters a name does not hold, and the words a name does not start with.
 */

const list = (words: string) => words.trim().split(/\s+/);

/** Common single-character surnames (about the 150 most frequent). */
export const SURNAMES = new Set([
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿焦俞柳祝舒阮柯纪梅童凌毕裴霍涂苗谷盛翁冉骆靳柴蒙鲍喻祁蒲滕饶艾尤穆卓',
]);

/** Two-character surnames, read before the single ones (欧阳 before 欧). */
export const COMPOUND_SURNAMES = list('欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 公孙 长孙 宇文 夏侯 尉迟 司徒 端木 独孤 南宫');

/** Characters that end a name: particles, pronouns, verbs of saying, adverbs, prepositions. */
export const NOT_IN_NAMES = new Set([
  ...'的地得在是了和与及等说讲要也都就还又把被让给到从对向很太没不未已着过吗呢吧啊呀哦嗯们这那此每各该其因所而且但或若请再并于',
]);

/**
 * Words a name does not start with. Those beginning with a surname (高烧, 马上, 方便) would
 * otherwise read as one; the rest are what follows 患者 in a report (患者排队, 患者于今日入院) or
 * what follows a name (张三头疼).
 */
export const COMMON_WORDS = [
  // Beginning with a surname.
  ...list(`
    张口 张嘴 陈述 黄疸 黄色 周一 周二 周三 周四 周五 周六 周日 周末 周围 周身 孙子 孙女 马上 马桶 胡说
    何时 何处 高烧 高热 高血压 高血糖 高危 高龄 高峰 高兴 郑重 谢谢 许多 许可 曾经 于是 余额 余下 杜绝
    程序 程度 苏醒 任何 任务 钟头 陆续 范围 金额 石膏 夏天 付款 付费 付钱 方便 方面 方法 方案 方式 方向
    白天 白班 白细胞 黎明 顾客 顾虑 毛病 毛巾 万一 钱包 严重 严格 戴着 戴上 莫名 向前 汤药 常规 常常 常用
    温度 康复 文件 安排 安静 安全 安装 齐全 易感 章程 童年 施工 申请 申报 焦虑 祝福 舒服 纪录 梅毒 毕竟
    涂药 蒙住 颜色 牛奶 庞大 龙头 贺卡 董事 雷击 史上 邵阳 尤其 艾灸 柴胡 卓越 盛装 谷歌 骆驼 沈阳 蓝屏
  `),
  // What follows 患者 / 病人, or a name, in a report.
  ...list(`
    排队 排长队 身份证 身份 姓名 病历 病情 病房 挂号 缴费 交费 检查 检验 报告 家属 信息 资料 住院 出院 入院
    转院 就诊 看病 等待 等候 反映 投诉 打印 系统 电脑 医生 护士 大夫 门诊 急诊 今天 今日 昨天 昨日 明天
    上午 下午 晚上 凌晨 刚才 现在 一直 已经 正在 没有 不能 无法 可以 需要 头疼 头痛 头晕 发烧 发热 腹痛
    咳嗽 不适 口罩 手环 腕带 医保 自助 窗口 过来 进来 回来 离开 抱怨 着急 询问 咨询 扫码 签字 预约 取号
    叫号 候诊 输液 用药 拿药 取药 本人 自己 人数 数量 名单 列表 编号 床号 年龄 性别 电话 手机 地址 隐私
    数据 处方 费用 结算 记录 档案 图像 影像 片子 太多 很多 较多 增多
  `),
];
