// `npm run build` step: writes the portal's bundle to dist/portal/ (app.js, app.css).
import { join } from 'node:path';
import { buildPortalBundle } from './bundle.js';

const out = join(process.cwd(), 'dist/portal');
const b = await buildPortalBundle(out);
process.stdout.write(`portal bundle: ${out} (app.js ${b.js.length} bytes, app.css ${b.css.length} bytes)\n`);
