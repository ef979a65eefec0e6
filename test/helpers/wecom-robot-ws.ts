import { WebSocketStandIn } from './websocket.js';

/**
 * The WeCom smart robot's long connection (what `@wecom/aibot-node-sdk` talks to at
 * WECOM_BOT_WS_URL): JSON frames; `aibot_subscribe` with the bot id and secret is answered errcode
 * 0 when they are `botId` / `secret` (40001 otherwise), and each heartbeat (`ping`) is answered.
 */
export class WeComRobotWs extends WebSocketStandIn {
  /** The subscribe frames received, in order. */
  readonly subscribes: { bot_id?: string; secret?: string }[] = [];

  constructor(
    readonly botId = 'robot-helpdesk',
    readonly secret = 'robot-secret-0123',
  ) {
    super((peer, { opcode, payload }) => {
      if (opcode !== 0x1) return;
      const frame = JSON.parse(payload.toString('utf8')) as { cmd?: string; headers?: { req_id?: string }; body?: { bot_id?: string; secret?: string } };
      if (frame.cmd === 'aibot_subscribe') {
        this.subscribes.push(frame.body ?? {});
        const ok = frame.body?.bot_id === this.botId && frame.body?.secret === this.secret;
        peer.sendText(JSON.stringify({ headers: frame.headers, errcode: ok ? 0 : 40001, errmsg: ok ? 'ok' : 'invalid secret' }));
      } else if (frame.cmd === 'ping') {
        peer.sendText(JSON.stringify({ headers: frame.headers, errcode: 0, errmsg: 'ok' }));
      }
    });
  }

  env(): Record<string, string> {
    return { WECOM_BOT_ID: this.botId, WECOM_BOT_SECRET: this.secret, WECOM_BOT_WS_URL: this.url };
  }
}
