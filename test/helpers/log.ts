import pino from 'pino';

/** A real pino logger that writes nothing, for services built outside Fastify in tests. */
export const silentLog = pino({ level: 'silent' });
