// STYLE: imports flow one way (routes -> ui -> state -> sync/storage/crypto -> doc -> domain) and
// no module imports itself through a cycle. Exits non-zero, naming each offending import.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve('src');
/** Which layers each layer may import (itself included). */
const ALLOWED = {
	domain: ['domain'],
	doc: ['doc', 'domain'],
	crypto: ['crypto', 'domain'],
	i18n: ['i18n', 'domain'],
	storage: ['storage', 'crypto', 'doc', 'domain'],
	backup: ['backup', 'storage', 'crypto', 'doc', 'domain'],
	sync: ['sync', 'storage', 'crypto', 'doc', 'domain'],
	app: ['app', 'sync', 'backup', 'storage', 'crypto', 'doc', 'domain', 'state'],
	state: ['state', 'app', 'sync', 'backup', 'storage', 'crypto', 'doc', 'domain', 'i18n'],
	ui: ['ui', 'state', 'i18n', 'domain'],
	routes: ['routes', 'ui', 'state', 'i18n', 'domain']
};

function layerOf(file) {
	const rel = relative(SRC, file).replaceAll('\\', '/');
	if (rel.startsWith('routes/')) return 'routes';
	if (rel === 'lib/app.ts') return 'app';
	const m = /^lib\/([^/]+)\//.exec(rel);
	return m ? m[1] : null;
}

function listFiles(dir) {
	return readdirSync(dir).flatMap((name) => {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) return listFiles(p);
		// Tests and their fixtures may reach across layers to build a whole salon.
		return /\.(ts|svelte)$/.test(name) && !/(\.test|-fixtures)\.ts$/.test(name) ? [p] : [];
	});
}

function resolveImport(from, spec) {
	let target;
	if (spec.startsWith('$lib/')) target = join(SRC, 'lib', spec.slice(5));
	else if (spec.startsWith('.')) target = resolve(dirname(from), spec);
	else return null;
	for (const candidate of [target, `${target}.ts`, `${target}/index.ts`]) {
		try {
			if (statSync(candidate).isFile()) return candidate;
		} catch {
			// try the next spelling
		}
	}
	return target;
}

const files = listFiles(SRC);
const graph = new Map();
const problems = [];
for (const file of files) {
	const text = readFileSync(file, 'utf8');
	// A module built on vitest (an exported contract suite) is test code too.
	if (/from ['"]vitest['"]/.test(text)) continue;
	const deps = [];
	for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
		const spec = m[1] ?? m[2];
		const target = resolveImport(file, spec);
		if (!target) continue;
		if (m[1]) deps.push(target);
		if (/-fixtures\.ts$/.test(target)) problems.push(`${relative(SRC, file)} imports test fixtures ${spec}`);
		const a = layerOf(file);
		const b = layerOf(target);
		if (a && b && ALLOWED[a] && !ALLOWED[a].includes(b)) {
			problems.push(`${relative(SRC, file)} (${a}) imports ${spec} (${b})`);
		}
	}
	graph.set(file, deps);
}

// Static imports only form cycles that matter; dynamic import() is how lazy features load.
const state = new Map();
function visit(file, stack) {
	state.set(file, 'visiting');
	for (const dep of graph.get(file) ?? []) {
		if (state.get(dep) === 'visiting') {
			const cycle = [...stack.slice(stack.indexOf(dep)), dep].map((f) => relative(SRC, f));
			problems.push(`import cycle: ${cycle.join(' -> ')}`);
		} else if (!state.has(dep) && graph.has(dep)) visit(dep, [...stack, dep]);
	}
	state.set(file, 'done');
}
for (const file of files) if (!state.has(file)) visit(file, [file]);

if (problems.length) {
	console.error(`Layer check: ${problems.length} problem(s)`);
	for (const p of problems) console.error(`  ${p}`);
	process.exit(1);
}
console.log(`Layer check: ${files.length} files, imports flow one way, no cycles.`);
