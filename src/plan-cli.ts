#!/usr/bin/env node
/**
 * The installed package's `plan` command (package.json "bin"); from the repository, scripts/plan.js runs the sources.
 */
import { main } from './cli/main';

main(process.argv.slice(2));
