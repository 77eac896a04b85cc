import type { FastifyInstance } from 'fastify';

/** True for the loopback addresses (127.0.0.0/8, ::1, localhost): only this machine can reach a server there. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Binds `app` to `host:port` (port 0: any free port) and returns the URL it listens on. Fastify stops accepting on
 * `app.close()` and waits for the requests in flight.
 */
export async function listenServer(app: FastifyInstance, host: string, port: number): Promise<string> {
  await app.listen({ host, port });
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${bound}`;
}
