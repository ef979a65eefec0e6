import { z } from 'zod';

/** A ticket number as people type it: `IT-20261123-0001`, any case, surrounding spaces allowed. */
export const TicketNumber = z
  .string()
  .trim()
  .regex(/^IT-\d{8}-\d{4,}$/i)
  .transform((s) => s.toUpperCase());

/** An incident number: `INC-20261123-01`. */
export const IncidentNumber = z
  .string()
  .trim()
  .regex(/^INC-\d{8}-\d{2,}$/i)
  .transform((s) => s.toUpperCase());
