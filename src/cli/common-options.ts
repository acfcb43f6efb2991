import { Option } from 'commander';

/** Options of every command that prints results and reads the local config. */
export interface LocalCommandOptions {
  config?: string;
  format: 'table' | 'json';
}

/** `--format table|json`. */
export const formatOption = (): Option =>
  new Option('--format <format>', 'output format').choices(['table', 'json']).default('table');

/** `--config <file>`: the airlock.yaml naming the database. */
export const configOption = (): Option =>
  new Option('--config <file>', 'airlock.yaml to read the database settings from');
