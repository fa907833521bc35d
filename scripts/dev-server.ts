// The server from source, for `npm run dev` (tsx restarts it on change).
import { main } from '../src/cli/main.js';

await main(['node', 'sen', 'start']);
