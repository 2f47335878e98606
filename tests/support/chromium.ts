import { existsSync } from 'node:fs';

/** Debian's Chromium; CI installs it (.ci/run), a machine without it skips the browser tests. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
