// The children reader a session asks after every step: it reads a process's children through
// one descriptor kept open, sees them come and go, grows its buffer for many, and reads no
// children once the process is gone (the descriptor stays with it, not with its pid).
import t from 'tap';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ChildrenReader } from '../engine/execute/process-table.ts';

async function until(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const commandOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim();

t.test('reads the children as they change, through a buffer that grows, and none once the process is gone', { skip: process.platform !== 'linux' && 'needs /proc' }, async (t) => {
  // Three sleeps, each started by the parent itself: its direct children.
  // In a process group of its own, so that whatever happens the teardown ends the sleeps too.
  const parent = spawn('bash', ['-c', 'sleep 301 & sleep 302 & sleep 303 & echo ready; wait'], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  t.teardown(() => {
    try {
      process.kill(-parent.pid!, 'SIGKILL');
    } catch {
      /* all gone */
    }
  });
  await new Promise<void>((resolve) => parent.stdout.on('data', (d) => String(d).includes('ready') && resolve()));
  const reader = new ChildrenReader(parent.pid!, 4); // 4 bytes: a few pids need it to grow
  t.teardown(() => reader.close());

  // A child may still be on its way from the fork to exec'ing sleep: wait until all three are sleeps.
  let children: number[] = [];
  const sleeps = () => children.map(commandOf).filter((c) => c.startsWith('sleep ')).length;
  await until('the three sleeps are the parent\'s children', () => (children = reader.read() ?? []).length === 3 && sleeps() === 3);
  t.same(children.map(commandOf).sort(), ['sleep 301', 'sleep 302', 'sleep 303'], 'each child is read whole, however small the buffer was');

  const first = children.find((pid) => commandOf(pid) === 'sleep 301')!;
  process.kill(first, 'SIGKILL');
  await until('the killed child is no longer listed', () => !(reader.read() ?? [first]).includes(first));
  t.equal(reader.read()?.length, 2, 'the same descriptor reads the change');

  const others = reader.read()!;
  parent.kill('SIGKILL');
  await new Promise((r) => parent.on('exit', r));
  for (const pid of others) process.kill(pid, 'SIGKILL');
  await until('the gone process reads as childless', () => reader.read()?.length === 0);
  t.same(reader.read(), [], 'a process that is gone has no children; its sleeps were killed, not handed on');
  t.equal(new ChildrenReader(parent.pid!).read(), undefined, 'a new reader of the gone pid finds nothing to open');
});

t.test('a pid that cannot be a process of ours reads as unknown', async (t) => {
  t.equal(new ChildrenReader(1).read(), undefined, 'pid 1 is never asked');
  t.equal(new ChildrenReader(0).read(), undefined);
  const reader = new ChildrenReader(2 ** 22 + 12345); // above pid_max: no such process
  t.equal(reader.read(), undefined);
  reader.close();
  reader.close(); // closing twice is harmless
});
