/**
 * @module
 * Simplified Chinese. Chinese has one plural category (`other`) for every number.
 */
import type { Messages } from "./en";

export const zhCN: Messages = {
  "language.name": "简体中文",
  "language.label": "语言",

  "landing.title": "Edge Chat：用链接分享的聊天室",
  "landing.tagline": "为小团队准备的实时聊天室。无需注册：起个名字，分享链接即可。",
  "landing.create.heading": "创建私密聊天室",
  "landing.create.hint": "聊天室会得到一个随机、无法猜到的名称。只有收到链接的人才能找到它。",
  "landing.create.button": "创建新聊天室",
  "landing.join.heading": "加入聊天室",
  "landing.join.label": "聊天室名称或链接",
  "landing.join.button": "打开",
  "landing.join.invalid": "请使用 1-64 个字母、数字、“-”、“_”或“.”，且不能以“.”开头。",

  "notFound.title": "未找到 · Edge Chat",
  "notFound.heading": "未找到",
  "notFound.text": "这个地址没有任何内容。",
  "notFound.link": "打开或创建聊天室",

  "room.title": "{room} · Edge Chat",
  "room.titleUnread": "({count}) {title}",
  "room.home": "Edge Chat 首页",
  "room.online": "在线",
  "room.you": "你",
  "room.more": { other: "还有 {count} 人" },
  "room.gap": "部分较早的消息已不可用。",
  "room.stats": { other: "最近一分钟 {count} 条消息" },
  "room.copyLink": "复制链接",
  "room.linkCopied": "链接已复制",
  "room.copyPrompt": "复制此链接来邀请他人：",

  "status.idle": "未连接",
  "status.connecting": "正在连接…",
  "status.live": "已连接",
  "status.reconnecting": "正在重新连接",
  "status.network": "离线",
  "status.room_full": "聊天室已满",
  "status.retry": "立即重试",

  "log.label": "消息",
  "log.newMessages": "新消息 ↓",
  "log.newSinceYouLeft": "以下是你离开后的新消息",
  "log.you": "（你）",
  "log.mentionsYou": "（提到了你）",
  "log.bot": "机器人",
  "log.sending": "正在发送…",
  "log.notSent": "未发送：{reason}",

  "typing.names": { other: "{names}正在输入…" },
  "typing.many": { other: "{count} 人正在输入…" },

  "composer.label": "消息",
  "composer.placeholder": "输入消息",
  "composer.send": "发送",
  "composer.left": { other: "还可输入 {count} 个字符" },
  "composer.over": { other: "超出限制 {count} 个字符" },
  "composer.notSent": "未发送：{reason}。",

  "notify.label": "有人提到我时通知我",
  "notify.blocked": "通知已在此浏览器的设置中被屏蔽",
  "notify.title": "{name} 在 {room} 中提到了你",

  "name.heading": "加入聊天室",
  "name.label": "你的名字",
  "name.join": "加入",
  "name.invalid": "请换一个名字：{reason}。",
  "name.problem.length": "名字须为 1 到 {max} 个字符",
  "name.problem.characters": "包含控制字符或无效的 Unicode",
  "name.problem.bidi": "包含双向文本控制符",
  "name.problem.invisible": "没有可见字符",
  "name.problem.bot": "不能冒充机器人",

  "error.invalid_json": "页面发送了聊天室无法读取的内容",
  "error.invalid_frame": "页面发送了聊天室无法读取的内容",
  "error.unknown_type": "聊天室不认识这个请求",
  "error.invalid_text": "消息包含控制字符或无效的 Unicode",
  "error.empty_text": "消息为空",
  "error.text_too_long": "消息太长",
  "error.invalid_nonce": "页面发送了无效的消息编号",
  "error.nonce_conflict": "另一条消息已使用此编号",
  "error.invalid_name": "这个名字不被允许",
  "error.binary_unsupported": "聊天室只接受文本",
  "error.rate_limited": "消息发送过快，请稍候",
  "error.room_full": "聊天室已满",
  "error.internal_error": "聊天室出了点问题",
};
