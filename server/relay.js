// The signaling relay: y-webrtc's wire protocol (JSON text over a WebSocket: subscribe,
// unsubscribe, publish, ping) at one path of an existing HTTP(S) server, so any y-webrtc client
// can use it and Kartoteka's devices can meet through it.
// Guarantees:
// - It stores nothing: a topic exists only while a connection is subscribed to it, and nothing is
//   written anywhere. Payloads pass through as they came (Kartoteka's are encrypted anyway).
// - A publish reaches every open subscriber of its topic, the sender included, with `clients` set
//   to the subscriber count, exactly as y-webrtc's bin/server.js does.
// - One misbehaving client costs at most its own connection, never the process or anyone else's
//   delivery: malformed JSON gets an error reply, a frame over `maxPayload` closes that client
//   (1009), topics per client and topic length are capped, a flood beyond the token bucket closes
//   that client (1008), a link that stops answering pings or stops reading is cut, and a global
//   connection cap refuses newcomers with 503 rather than starving the ones already connected.
import { WebSocket, WebSocketServer } from 'ws';

/**
 * @typedef {object} RelayOptions
 * @property {string} path WebSocket path on the HTTP server.
 * @property {number} maxPayload Largest accepted frame in bytes; bigger closes the sender.
 * @property {number} maxTopicsPerClient Topics one connection may hold at once.
 * @property {number} maxTopicLength Longest accepted topic name, in characters.
 * @property {number} maxConnections Open connections at once; beyond it upgrades get 503.
 * @property {number} ratePerSecond Sustained messages per second per connection.
 * @property {number} rateBurst Messages a connection may send at once before the rate applies.
 * @property {number} heartbeatMs Ping interval; a connection silent for two intervals is cut.
 * @property {number} maxBufferedBytes Unsent bytes queued for one receiver before it is cut.
 * @property {(event: string, detail: Record<string, unknown>) => void} log Told when a
 *   connection is refused or cut, with the reason.
 */

/** @typedef {'invalid-json' | 'invalid-message' | 'invalid-topic' | 'too-many-topics' | 'rate-limited'} RelayErrorReason */

/** @typedef {{ topics: Set<string>, tokens: number, refilledAt: number, isAlive: boolean }} Client */

/** Defaults: roomy for a salon's handful of devices, tight enough that one client cannot hurt the rest. */
export const DEFAULT_RELAY_OPTIONS = Object.freeze(
	/** @type {RelayOptions} */ ({
		path: '/signal',
		maxPayload: 64 * 1024,
		maxTopicsPerClient: 100,
		maxTopicLength: 128,
		maxConnections: 1000,
		ratePerSecond: 50,
		rateBurst: 100,
		heartbeatMs: 30_000,
		maxBufferedBytes: 1024 * 1024,
		log: () => {}
	})
);

/**
 * Mounts the relay on `server` at `options.path`. Call `close()` before `server.close()`:
 * open WebSockets otherwise keep the HTTP server from finishing its close.
 * @param {import('node:http').Server | import('node:https').Server} server
 * @param {Partial<RelayOptions>} [options]
 * @returns {{ close(): Promise<void>, stats(): RelayStats }}
 */
export function attachRelay(server, options = {}) {
	const o = { ...DEFAULT_RELAY_OPTIONS, ...options };
	const wss = new WebSocketServer({ noServer: true, maxPayload: o.maxPayload, clientTracking: false });
	/** @type {Map<string, Set<WebSocket>>} */
	const topics = new Map();
	/** @type {Map<WebSocket, Client>} */
	const clients = new Map();
	const counts = { refusedFull: 0, closedTooLarge: 0, closedFlood: 0, closedDead: 0, closedSlow: 0, errorsSent: 0 };
	let isClosed = false;

	/** @param {WebSocket} ws @param {RelayErrorReason} reason */
	const sendError = (ws, reason) => {
		counts.errorsSent++;
		if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'error', reason }));
	};

	/** @param {unknown} topic @returns {topic is string} */
	const isTopic = (topic) => typeof topic === 'string' && topic.length > 0 && topic.length <= o.maxTopicLength;

	/** @param {WebSocket} ws @param {string} text */
	const deliver = (ws, text) => {
		if (ws.readyState !== WebSocket.OPEN) return;
		// A receiver that stopped reading would make us hold every publish for it in memory.
		if (ws.bufferedAmount > o.maxBufferedBytes) {
			counts.closedSlow++;
			o.log('cut', { reason: 'not-reading', bufferedAmount: ws.bufferedAmount });
			ws.terminate();
			return;
		}
		ws.send(text);
	};

	/** @param {WebSocket} ws @param {Client} client @param {string} topic */
	const unsubscribe = (ws, client, topic) => {
		client.topics.delete(topic);
		const subs = topics.get(topic);
		subs?.delete(ws);
		if (subs?.size === 0) topics.delete(topic); // stores nothing: empty topics are forgotten
	};

	/** @param {Client} client */
	const takeToken = (client) => {
		const now = performance.now();
		client.tokens = Math.min(o.rateBurst, client.tokens + ((now - client.refilledAt) * o.ratePerSecond) / 1000);
		client.refilledAt = now;
		if (client.tokens < 1) return false;
		client.tokens -= 1;
		return true;
	};

	/** @param {WebSocket} ws @param {Client} client @param {any} message */
	const handle = (ws, client, message) => {
		switch (message.type) {
			case 'subscribe': {
				if (!Array.isArray(message.topics)) return sendError(ws, 'invalid-message');
				/** @type {RelayErrorReason | undefined} */ let refused;
				for (const topic of message.topics) {
					if (!isTopic(topic)) refused = 'invalid-topic';
					else if (client.topics.has(topic)) continue;
					else if (client.topics.size >= o.maxTopicsPerClient) {
						refused = 'too-many-topics';
						break;
					} else {
						client.topics.add(topic);
						let subs = topics.get(topic);
						if (!subs) topics.set(topic, (subs = new Set()));
						subs.add(ws);
					}
				}
				if (refused) sendError(ws, refused);
				return;
			}
			case 'unsubscribe':
				if (!Array.isArray(message.topics)) return sendError(ws, 'invalid-message');
				for (const topic of message.topics) if (typeof topic === 'string') unsubscribe(ws, client, topic);
				return;
			case 'publish': {
				if (!isTopic(message.topic)) return sendError(ws, 'invalid-topic');
				const receivers = topics.get(message.topic);
				if (!receivers) return;
				message.clients = receivers.size;
				/** @type {string} */ let text;
				try {
					text = JSON.stringify(message); // throws on nesting too deep for the stack
				} catch {
					return sendError(ws, 'invalid-message');
				}
				for (const receiver of receivers) deliver(receiver, text);
				return;
			}
			case 'ping':
				if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'pong' }));
				return;
			default:
			// Unknown types are ignored, as y-webrtc does, so newer clients can talk through us.
		}
	};

	/** @param {WebSocket} ws */
	const accept = (ws) => {
		/** @type {Client} */
		const client = { topics: new Set(), tokens: o.rateBurst, refilledAt: performance.now(), isAlive: true };
		clients.set(ws, client);
		ws.on('pong', () => (client.isAlive = true));
		// ws closes the connection itself on protocol errors (e.g. 1009 for a frame over
		// maxPayload); without this listener the 'error' event would crash the process.
		ws.on('error', (err) => {
			const code = /** @type {{ code?: string }} */ (err).code;
			if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') counts.closedTooLarge++;
			o.log('cut', { reason: code ?? err.message });
		});
		ws.on('close', () => {
			for (const topic of [...client.topics]) unsubscribe(ws, client, topic);
			clients.delete(ws);
		});
		ws.on('message', (data) => {
			// After we closed a flooding client its queued frames still arrive; they are ignored.
			if (ws.readyState !== WebSocket.OPEN) return;
			client.isAlive = true;
			if (!takeToken(client)) {
				counts.closedFlood++;
				o.log('cut', { reason: 'rate-limited' });
				sendError(ws, 'rate-limited');
				ws.close(1008, 'rate limit');
				return;
			}
			/** @type {unknown} */ let message;
			try {
				message = JSON.parse(String(data));
			} catch {
				return sendError(ws, 'invalid-json');
			}
			if (!message || typeof message !== 'object' || Array.isArray(message)) return sendError(ws, 'invalid-message');
			if (typeof (/** @type {any} */ (message).type) !== 'string') return sendError(ws, 'invalid-message');
			handle(ws, client, message);
		});
	};

	/** @param {import('node:stream').Duplex} socket @param {number} status @param {string} text */
	const refuse = (socket, status, text) => {
		socket.on('error', () => {}); // the peer may already be gone; nothing to report
		socket.once('finish', () => socket.destroy());
		socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
	};

	/** @param {import('node:http').IncomingMessage} req @param {import('node:stream').Duplex} socket @param {Buffer} head */
	const onUpgrade = (req, socket, head) => {
		const pathname = (req.url ?? '/').split('?')[0];
		if (pathname !== o.path) {
			// Another upgrade handler may own this path; answer only when nobody else will.
			if (server.listenerCount('upgrade') === 1) refuse(socket, 404, 'Not Found');
			return;
		}
		if (isClosed || clients.size >= o.maxConnections) {
			counts.refusedFull++;
			o.log('refused', { reason: 'full', connections: clients.size });
			return refuse(socket, 503, 'Service Unavailable');
		}
		wss.handleUpgrade(req, socket, head, accept);
	};
	server.on('upgrade', onUpgrade);

	// One timer for all connections: a client that answered no ping since the last tick is gone
	// (a tablet that slept or left the network never sends a close frame).
	const heartbeat = setInterval(() => {
		for (const [ws, client] of clients) {
			if (!client.isAlive) {
				counts.closedDead++;
				o.log('cut', { reason: 'no-pong' });
				ws.terminate();
			} else if (ws.readyState === WebSocket.OPEN) {
				client.isAlive = false;
				ws.ping();
			}
		}
	}, o.heartbeatMs);
	heartbeat.unref(); // never the reason the process stays up

	return {
		/** Stops accepting, cuts every connection and detaches from the server. */
		close() {
			isClosed = true;
			clearInterval(heartbeat);
			server.off('upgrade', onUpgrade);
			for (const ws of clients.keys()) ws.terminate();
			return new Promise((resolve) => wss.close(() => resolve()));
		},
		/** Counts for monitoring and tests; never topic names or payloads. */
		stats() {
			let subscriptions = 0;
			for (const client of clients.values()) subscriptions += client.topics.size;
			return { connections: clients.size, topics: topics.size, subscriptions, ...counts };
		}
	};
}

/**
 * @typedef {{ connections: number, topics: number, subscriptions: number, refusedFull: number,
 *   closedTooLarge: number, closedFlood: number, closedDead: number, closedSlow: number,
 *   errorsSent: number }} RelayStats
 */
