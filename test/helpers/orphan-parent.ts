/**
 * For children.test.ts: starts a child that would run forever, prints its pid, then either
 * exits (argv[2] = "exit") or waits to be killed.
 */
import { spawnNode } from './children.js';

const child = spawnNode(['-e', 'setInterval(() => {}, 1000)']);
process.stdout.write(`${child.pid}\n`);
if (process.argv[2] === 'exit') setTimeout(() => process.exit(3), 200);
else setInterval(() => {}, 1000);
