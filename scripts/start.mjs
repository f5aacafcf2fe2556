// `npm start`: installs what is missing, builds when the sources changed, then serves the app
// on http://127.0.0.1:4173 (options: --host, --port, --cert, --key; see README).
import { ensureBuild, ensureDependencies } from './setup.mjs';

ensureDependencies();
ensureBuild();
const { readOptions, startServer } = await import('../server/index.js');
const options = readOptions();
const server = await startServer(options);
const scheme = options.cert ? 'https' : 'http';
console.log(`Kartoteka działa / is running: ${scheme}://${options.host}:${server.address().port}/`);
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
