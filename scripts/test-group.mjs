// One test process for several quick test files (scripts/run-tests.mjs): each file becomes a
// suite named by its path and is imported by that suite, so its top-level tests, suites and
// hooks (before, afterEach…) belong to it alone; the suites run one after the other. What a
// process pays once (Node, tsx, the sources, the reference data) is then paid once per group
// instead of once per file.
//
//   VIGIE_TEST_GROUP='["test/a.test.ts","test/b.test.ts"]' node --import tsx --test-reporter=spec scripts/test-group.mjs
//
// node:test files a test under the suite whose function is running when it is declared, found
// from the async context. So a file is imported from its suite's function, synchronously, and
// the next suite is declared only once that import is done: with two imports in flight, a
// module's body could run in the other import's context, and its tests land in the wrong suite.
import { describe, before, after } from 'node:test';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const files = JSON.parse(process.env.VIGIE_TEST_GROUP ?? '[]');
if (!Array.isArray(files) || files.length === 0) throw new Error('VIGIE_TEST_GROUP: a JSON list of test files');
for (const file of files) {
  await new Promise((done) => {
    describe(file, () => {
      // Each file's CPU (this process, all threads) for the runner's --times: "# cpu <file> <ms>".
      let cpu;
      before(() => (cpu = process.cpuUsage()));
      after(() => {
        const used = process.cpuUsage(cpu);
        process.stdout.write(`# cpu ${file} ${Math.round((used.user + used.system) / 1000)}\n`);
      });
      const loading = import(pathToFileURL(resolve(file)).href);
      loading.then(done, done);
      return loading;
    });
  });
}
