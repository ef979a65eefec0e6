import type { Registry } from '../bot/commands.js';
import claimCommand from './claim-command.js';
import claimTicket from './claim-ticket.js';
import help from './help.js';
import reportFault from './report-fault.js';
import showTicket from './show-ticket.js';

/** Every command and card action the bot knows, listed explicitly. */
export const registry: Registry = {
  commands: [help, claimCommand, showTicket],
  actions: [claimTicket],
  fallback: reportFault,
};
