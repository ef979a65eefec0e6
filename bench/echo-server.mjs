import Fastify from 'fastify';

/** The baseline: a bare Fastify server answering a JSON POST with its body, nothing else. */
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.post('/echo', async (req) => req.body);
app.get('/healthz', async () => ({ status: 'ok' }));
const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.send?.({ address });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
