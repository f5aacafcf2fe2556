// What makes it an installable app served safely: the manifest, the icons, the CSP header.
import { expect, test } from '@playwright/test';

test('the manifest makes it installable in Polish, with icons 192/512 and a maskable one', async ({ request }) => {
	const res = await request.get('/manifest.webmanifest');
	expect(res.ok()).toBe(true);
	const manifest = await res.json();
	expect(manifest).toMatchObject({ lang: 'pl', display: 'standalone', start_url: '/', theme_color: '#4a2c5e' });
	const sizes = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`);
	expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
	for (const icon of manifest.icons) {
		const img = await request.get(icon.src);
		expect(img.headers()['content-type']).toBe('image/png');
	}
});

test('pages are served with a strict Content-Security-Policy', async ({ request }) => {
	const res = await request.get('/');
	const csp = res.headers()['content-security-policy'];
	expect(csp).toContain("script-src 'self' 'sha256-");
	expect(csp).toContain("style-src 'self';");
	expect(csp).toContain("connect-src 'self' wss:");
	expect(csp).toContain("frame-ancestors 'none'");
	expect(csp).not.toContain('unsafe-inline');
	expect(csp).not.toContain('unsafe-eval');
});
