import { Command } from 'commander';
import type { CliContext } from '../context.js';

/** The `simulate` command (placeholder until local/simulateLogins.ts lands). */
export const simulateCommand = (_context: CliContext): Command => new Command('simulate');
