import { z } from 'zod';

/** An id in the organisation file (a person, a department, a system): lower-case letters, digits, - or _. */
export const Id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, - or _');
