import { z } from 'zod';
import { PRIORITIES } from '../bot/org/schema.js';
import { IncidentNumber, TicketNumber } from '../bot/tickets/number.js';

export { IncidentNumber, TicketNumber };

export const Priority = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(PRIORITIES));

/** The value a ticket button carries. */
export const TicketValue = z.object({ ticket: TicketNumber, v: z.coerce.number().int().optional() });

/**
 * Form values arrive as strings (or arrays of one string from some selects); a number or a checkbox
 * is read as its text, anything else as empty, so a malformed form is refused by the command, never
 * failed on.
 */
export const FormText = z
  .unknown()
  .optional()
  .transform((v) => {
    const first = Array.isArray(v) ? v[0] : v;
    return typeof first === 'string' || typeof first === 'number' || typeof first === 'boolean' ? String(first).trim() : '';
  });

/** `IT-… rest of the text` → `{ ticket, rest }`. */
export function numberThenText(rest: string): { ticket: string; text: string } {
  const [ticket = '', ...words] = rest.trim().split(/\s+/);
  return { ticket, text: words.join(' ') };
}
