// What can be checked of the WebRTC link without a browser: the validation of signaling messages
// a peer (or anyone holding the sync secret) sends. The link itself runs in tests/e2e/sync.spec.ts.
import { describe, expect, it } from 'vitest';
import { isSignalMessage } from './webrtc-transport';

const valid = { kind: 'signal', from: 'device-a', to: 'device-b', conn: 'c1' };

describe('isSignalMessage', () => {
	it('accepts an addressed offer, answer or candidate', () => {
		expect(isSignalMessage({ ...valid, description: { type: 'offer', sdp: 'v=0' } })).toBe(true);
		expect(isSignalMessage({ ...valid, toConn: 'c2', description: { type: 'answer', sdp: 'v=0' } })).toBe(true);
		expect(isSignalMessage({ ...valid, toConn: 'c2', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0' } })).toBe(true);
	});

	it('refuses a message without its addresses or connection id', () => {
		expect(isSignalMessage({ kind: 'signal', from: 'device-a', conn: 'c1' })).toBe(false);
		expect(isSignalMessage({ kind: 'signal', to: 'device-b', conn: 'c1' })).toBe(false);
		expect(isSignalMessage({ kind: 'signal', from: 'device-a', to: 'device-b' })).toBe(false);
		expect(isSignalMessage({ ...valid, from: 'x'.repeat(200) })).toBe(false);
		expect(isSignalMessage({ ...valid, toConn: 7 })).toBe(false);
		expect(isSignalMessage({ ...valid, kind: 'announce' })).toBe(false);
	});

	it('refuses an unknown description type, an oversized SDP and a candidate that is not an object', () => {
		expect(isSignalMessage({ ...valid, description: { type: 'evil', sdp: 'v=0' } })).toBe(false);
		expect(isSignalMessage({ ...valid, description: { type: 'offer', sdp: 'x'.repeat(40_000) } })).toBe(false);
		expect(isSignalMessage({ ...valid, description: null })).toBe(false);
		expect(isSignalMessage({ ...valid, candidate: 'candidate:1' })).toBe(false);
	});
});
