// The real relay (server/relay.js) on a loopback port, for the suites that talk to it over
// WebSockets. Test code only.
import { once } from 'node:events';
import http from 'node:http';
import { attachRelay } from '../../../server/relay.js';

/** Starts a relay on 127.0.0.1; its stop functions go into `cleanups`. Returns its ws:// address. */
export async function startRelay(cleanups: (() => unknown)[]): Promise<string> {
	const server = http.createServer((_req, res) => res.end('app'));
	const relay = attachRelay(server);
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	cleanups.push(() => new Promise((resolve) => server.close(resolve)));
	cleanups.push(() => relay.close());
	const { port } = server.address() as { port: number };
	return `ws://127.0.0.1:${port}/signal`;
}
