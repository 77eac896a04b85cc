// The floor of serve-load.mjs (not a test): an HTTP server on 127.0.0.1 that does no model work. POST /search reads
// the body, holds its thread for `?hold-ms=` milliseconds (a busy wait, as a search holds it) and answers
// `?answer-bytes=` zero bytes. Measured with the same client as `bregman serve`, it is the time per request that HTTP
// on this machine costs around a compute of that length: the client, the loopback and the wake-ups of idle cores.
//
//   node apps/cli/perf/null-server.mjs   (prints "listening on http://127.0.0.1:PORT" on stderr)
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 64 << 20 });
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
app.post('/search', async (request, reply) => {
  const holdMs = Number(request.query['hold-ms'] ?? 0);
  const start = performance.now();
  while (performance.now() - start < holdMs);
  return reply.type('application/octet-stream').send(Buffer.alloc(Number(request.query['answer-bytes'] ?? 0)));
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stderr.write(`listening on ${url}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
