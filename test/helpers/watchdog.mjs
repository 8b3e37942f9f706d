// Preloaded (`node --import`) into every child process a test starts: when the test process
// that started it is gone (killed, timed out), the child ends too instead of living on as an
// orphan. The parent's pid comes from VIGIE_TEST_PARENT (set by test/helpers/children.ts), so
// a parent that died before this child even started is noticed too.
const parent = Number(process.env.VIGIE_TEST_PARENT) || process.ppid;
const check = () => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
};
check();
setInterval(check, 500).unref();
