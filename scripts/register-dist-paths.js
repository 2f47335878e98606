// Resolves the @app/* path aliases of tsconfig.json against the compiled dist/ folder.
const path = require('node:path');
const { compilerOptions } = require('../tsconfig.json');
require('tsconfig-paths').register({ baseUrl: path.join(__dirname, '..', 'dist'), paths: compilerOptions.paths });
