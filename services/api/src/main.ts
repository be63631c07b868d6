/** Process edge of the api: the environment is read here, once, and only here may the process exit. */
import { runService } from '@talk/shared/lifecycle';
import { loadApiConfig } from './config';
import { startApi } from './start';

runService({
  name: 'talk-api',
  env: process.env,
  loadConfig: loadApiConfig,
  start: (config, log) => startApi(config, log),
  exit: (code) => process.exit(code),
});
