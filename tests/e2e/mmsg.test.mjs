// Issue 2 (d): the fan-out test with the recvmmsg/sendmmsg fallback backend forced.
import { test } from 'node:test';
import { serverAndBrowser } from './lib/suite.mjs';
import { checkFanout } from './lib/peers.mjs';

const env = serverAndBrowser({ ioBackend: 'mmsg' });

test('VP8 fan-out with io_backend: mmsg', { timeout: 60000 },
     () => checkFanout(env.browser, env.server, { codec: 'VP8', label: '[mmsg] ' }));
