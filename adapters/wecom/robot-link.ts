import type { WSClient } from '@wecom/aibot-node-sdk';
import type { FastifyBaseLogger } from 'fastify';
import type { PlatformStatus } from '../../bot/chat/ports.js';
import { LinkStatus } from '../shared/connection.js';

/** A frame the long connection brings (a message, a click, the robot added to a group). */
export type RobotFrame = { body?: unknown } & Record<string, unknown>;

/** The frames the bot takes, by the SDK's event names. */
const FRAMES = { message: 'message', 'event.template_card_event': 'click', 'event.enter_chat': 'arrival' } as const;

/**
 * The smart robot's long connection (`@wecom/aibot-node-sdk`, loaded only when it is used): its
 * frames handed to `onFrame`, and its state as the SDK's events tell it, for the readiness check.
 */
export class RobotLink {
  ws: WSClient | undefined;
  private readonly link = new LinkStatus();

  constructor(private readonly log: FastifyBaseLogger) {}

  async open(opts: { botId: string; secret: string; wsUrl?: string }, onFrame: (ws: WSClient, frame: RobotFrame) => Promise<void>): Promise<void> {
    const { WSClient } = await import('@wecom/aibot-node-sdk');
    // A network outage of the hospital can last longer than the SDK's 10 attempts (about 3 minutes):
    // the connection keeps coming back however long it takes. A refused secret still gives up.
    const ws = new WSClient({ botId: opts.botId, secret: opts.secret, wsUrl: opts.wsUrl, maxReconnectAttempts: -1, logger: this.sdkLogger() });
    for (const [event, what] of Object.entries(FRAMES)) {
      ws.on(event as 'message', (frame) => void onFrame(ws, frame as never).catch((err) => this.log.error({ err }, `wecom robot ${what} failed`)));
    }
    this.watch(ws);
    ws.connect();
    this.ws = ws;
  }

  /** The connection while it is up. */
  get connected(): WSClient | undefined {
    return this.ws?.isConnected ? this.ws : undefined;
  }

  close(): void {
    this.link.set('closed');
    this.ws?.disconnect();
  }

  status(): Pick<PlatformStatus, 'ready' | 'state' | 'reason' | 'since'> {
    if (!this.ws) return { ready: false, state: 'connecting', reason: 'the long connection is not started yet' };
    const status = this.link.status();
    return { ...status, ready: status.ready && this.ws.isConnected };
  }

  /** Follows the connection's state (an SDK error with no listener would end the process). */
  private watch(ws: WSClient): void {
    ws.on('authenticated', () => {
      if (this.link.state !== 'connected') this.log.info('wecom robot long connection up');
      this.link.set('connected');
    });
    ws.on('disconnected', (reason: string) => {
      if (this.link.state === 'closed') return;
      this.log.warn({ reason }, 'wecom robot long connection lost');
      this.link.set('reconnecting', reason);
    });
    ws.on('reconnecting', (attempt: number) => {
      if (this.link.state !== 'closed') this.link.set('reconnecting', `reconnect attempt ${attempt}`);
    });
    ws.on('error', (err: Error) => {
      // Given up: the attempts to connect or to authenticate are used up, nothing reconnects.
      const final = err.name === 'WSReconnectExhaustedError' || err.name === 'WSAuthFailureError';
      this.log.warn({ err: err.message, final }, final ? 'wecom robot long connection given up' : 'wecom robot long connection error');
      if (final) this.link.set('failed', err.message);
    });
  }

  private sdkLogger() {
    const log = this.log.child({ component: 'aibot-sdk' });
    return {
      debug: (...args: unknown[]) => log.debug({ sdk: args }, 'aibot'),
      info: (...args: unknown[]) => log.debug({ sdk: args }, 'aibot'),
      warn: (...args: unknown[]) => log.warn({ sdk: args }, 'aibot'),
      error: (...args: unknown[]) => log.error({ sdk: args }, 'aibot'),
    };
  }
}
