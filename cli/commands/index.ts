import type { Command } from 'commander';

/**
 * Every command module, in help order. A module exports one `register(program)` function;
 * add yours here with one line.
 */
export const COMMAND_MODULES: Array<(program: Command) => void> = [];
