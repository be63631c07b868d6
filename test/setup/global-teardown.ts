import './servers';

async function globalTeardown(): Promise<void> {
  await globalThis.talkTestServers?.stop();
}

// Jest requires the module itself to be the function.
export = globalTeardown;
