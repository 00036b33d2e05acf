// Imported first by the long-running scripts (`npm run faults`, `npm run bench`): the same private
// temporary directory as a test run (temp-root.ts), removed when the script exits.
import { privateTempRoot } from './temp-root';

process.on('exit', privateTempRoot());
