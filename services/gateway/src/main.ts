/** Process edge of the gateway: the environment is read here, once, and only here may the process exit. */
import { runService } from '@talk/shared/lifecycle';
import { loadGatewayConfig } from './config';
import { startGateway } from './start';

runService({
  name: 'talk-gateway',
  env: process.env,
  loadConfig: loadGatewayConfig,
  start: (config, log) => startGateway(config, log),
  exit: (code) => process.exit(code),
});
