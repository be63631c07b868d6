/** Process edge of the notifier: the environment is read here, once, and only here may the process exit. */
import { runService } from '@talk/shared/lifecycle';
import { loadNotifierConfig } from './config';
import { startNotifier } from './start';

runService({
  name: 'talk-notifier',
  env: process.env,
  loadConfig: loadNotifierConfig,
  start: (config, log) => startNotifier(config, log),
  exit: (code) => process.exit(code),
});
