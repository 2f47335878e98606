#!/usr/bin/env node
// Starts the compiled API (`npm run build` runs first as `prestart`). `--seed-only` migrates and
// loads the demo data, then exits.
require('./register-dist-paths');

if (process.argv.includes('--seed-only')) require('../dist/scripts/seed');
else require('../dist/apps/api/src/main');
