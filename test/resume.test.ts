// Resuming with --from: what was running comes back (background steps, the port-forward behind
// `ingress`), stale state is refused naming the steps, secrets are never saved and come from the
// environment, and saved state is treated as the code it is — a tampered, escaping, broken or
// hanging one is refused with exit 2 and nothing of the runbook runs.
import t from 'tap';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeRegExp } from '../engine/regexp-escape.ts';
import { runCli } from './support/cli.ts';
import { tempDir, writeFiles } from './support/tmp.ts';
import { processesWith } from './support/terminal.ts';
import { until } from './support/until.ts';
import { makeNode, makePod, makeService } from './support/kube/index.ts';
import { CONTEXT, echoServer, stillForwards, kubeFixture } from './support/kube-harness.ts';

const fence = (info: string, body: string) => `\`\`\`${info}\n${body}\n\`\`\`\n\n`;

/** The one state directory of a runbook directory's saved state. */
function stateDir(dir: string): string {
  const root = join(dir, '.runbook', 'state');
  const [tag] = readdirSync(root);
  return join(root, tag);
}

const readIndex = (dir: string) => JSON.parse(readFileSync(join(stateDir(dir), 'index.json'), 'utf8'));
const writeIndex = (dir: string, index: unknown) => writeFileSync(join(stateDir(dir), 'index.json'), JSON.stringify(index));

/** Replaces the state saved before a step with `text`, named as the engine names it (so only its content is odd). */
function replaceState(dir: string, stepId: string, text: string): void {
  const index = readIndex(dir);
  const name = `state-${createHash('sha1').update(text).digest('hex').slice(0, 16)}.sh`;
  writeFileSync(join(stateDir(dir), name), text);
  index.steps[stepId].state = name;
  writeIndex(dir, index);
}

t.test('background steps running at the resume point start again; ones that had ended do not', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, {
    'r.md':
      fence('bash background id=brief', 'echo $BASHPID > brief.pid') +
      // Until brief has written its pid (it may not have started yet) and then ended.
      fence('bash run id=brief-gone', 'until [ -s brief.pid ]; do sleep 0.02; done; while kill -0 "$(cat brief.pid)" 2>/dev/null; do sleep 0.05; done') +
      fence('bash background id=server', 'exec sleep 81.5') +
      fence('bash run id=needs-go', 'test -f go') +
      // The restarted background step may not have reached its exec yet: poll for it (a restart
      // that never happens fails at the step's timeout).
      fence('bash run id=uses timeout=20s', 'until pgrep -f "sleep 81.5" >/dev/null; do sleep 0.02; done; echo "server up"'),
  });
  const first = await runCli(['run', 'r.md'], { cwd: dir });
  t.equal(first.code, 1, first.out);
  t.same(processesWith('sleep 81.5'), [], 'the first run left nothing running');
  writeFiles(dir, { go: '' });
  const resumed = await runCli(['run', 'r.md', '--from', 'needs-go', '--report', 'r.json'], { cwd: dir });
  t.equal(resumed.code, 0, resumed.out);
  t.match(resumed.out, /note: starting server \(r\.md:9\) again: it was running when the state before needs-go was saved/);
  t.notMatch(resumed.out, /starting brief/, 'a background step that had ended stays ended');
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
  t.equal(report.resumedFrom, 'needs-go');
  t.same(report.restarted, [{ id: 'server', file: 'r.md', line: 9, status: 'passed' }]);
  t.same(report.steps.map((s: { id: string; status: string }) => `${s.id}:${s.status}`), ['needs-go:passed', 'uses:passed'], 'the restarted step is not a planned step');
  t.equal(report.steps[1].output, 'server up\n');
  t.same(processesWith('sleep 81.5'), [], 'the restarted step ended with the run');
});

t.test('the port-forward behind an ingress directive is started again on resume', async (t) => {
  const fixture = await kubeFixture(t);
  const gateway = await echoServer(t, 'gateway:');
  const store = fixture.server.store;
  store.create(makeNode('istio-runbook-control-plane'));
  store.create(makeService('istio-system', 'istio-ingressgateway', { type: 'NodePort', ports: [{ name: 'http2', port: 80, targetPort: 8080 }], selector: { istio: 'ingressgateway' } }));
  store.create(makePod('istio-system', 'istio-ingressgateway-abc-12345', { labels: { istio: 'ingressgateway' } }));
  store.setPortForwardTarget('istio-system', 'istio-ingressgateway-abc-12345', 8080, { host: '127.0.0.1', port: gateway.port });
  const talk = (text: string) => `exec {sock}<>/dev/tcp/127.0.0.1/$INGRESS_PORT; printf '%s\\n' '${text}' >&$sock; read -r -t 3 answer <&$sock; echo "$answer"; exec {sock}>&-`;
  const dir = tempDir(t);
  writeFiles(dir, {
    'book/runbook.yaml': `targets:\n  kind: { context: ${CONTEXT} }\n`,
    'book/01.md': '<!-- runbook: ingress id=gateway -->\n\n' + fence('bash run id=first-call', talk('first')) + fence('bash run id=needs-go', 'test -f "$RUNBOOK_ROOT/../go"') + fence('bash run id=later-call', talk('later')),
  });
  const env = { KUBECONFIG: fixture.kubeconfig, HOME: dir };
  const first = await runCli(['run', 'book', '--report', 'first.json'], { cwd: dir, env });
  t.equal(first.code, 1, first.out);
  const oldPort = Number(JSON.parse(readFileSync(join(dir, 'first.json'), 'utf8')).steps[0].data.ingress.INGRESS_PORT);
  t.notOk(await stillForwards(oldPort, 'gateway:'), 'the first run closed its port-forward');
  writeFiles(dir, { go: '' });
  const resumed = await runCli(['run', 'book', '--from', 'needs-go', '--report', 'r.json'], { cwd: dir, env });
  t.equal(resumed.code, 0, resumed.out);
  t.match(resumed.out, /note: starting gateway \(book\/01\.md:1\) again/);
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
  t.match(report.restarted, [{ id: 'gateway', status: 'passed' }]);
  t.equal(report.steps.find((s: { id: string }) => s.id === 'later-call').output, 'gateway:later\n', 'GATEWAY_URL points at a live forward again');
});

t.test('stale state: a step before the resume point changed, was added or removed', async (t) => {
  const dir = tempDir(t);
  const book = (setup: string, extra = '') => fence('bash run id=setup', setup) + extra + fence('bash run id=use', 'test -f go && echo "$GREETING"');
  writeFiles(dir, { 'f.md': book('export GREETING=hello') });
  t.equal((await runCli(['run', 'f.md'], { cwd: dir })).code, 1);
  writeFiles(dir, { go: '' });

  writeFiles(dir, { 'f.md': book('export GREETING=changed') });
  let r = await runCli(['run', 'f.md', '--from', 'use'], { cwd: dir });
  t.equal(r.code, 2, r.out);
  t.match(r.out, /--from use: the steps before it changed since its state was saved:\n {4}setup \(f\.md:1\): changed\n {2}The saved state came from the steps as they were; resume at the first changed step \(--from setup\)/);

  writeFiles(dir, { 'f.md': book('export GREETING=hello', fence('bash run id=inserted', 'touch inserted-ran')) });
  r = await runCli(['run', 'f.md', '--from', 'use'], { cwd: dir });
  t.equal(r.code, 2, r.out);
  t.match(r.out, /inserted \(f\.md:5\): added before use/);
  t.notOk(existsSync(join(dir, 'inserted-ran')));

  writeFiles(dir, { 'f.md': fence('bash run id=renamed', 'export GREETING=hello') + fence('bash run id=use', 'test -f go && echo "$GREETING"') });
  r = await runCli(['run', 'f.md', '--from', 'use'], { cwd: dir });
  t.equal(r.code, 2, r.out);
  t.match(r.out, /setup: no step has this id any more \(removed or renamed\)/);
  t.match(r.out, /renamed \(f\.md:1\): added before use/);

  writeFiles(dir, { 'f.md': book('export GREETING=hello') });
  r = await runCli(['run', 'f.md', '--from', 'use', '--report', 'r.json'], { cwd: dir });
  t.equal(r.code, 0, 'unchanged again: the state fits');
  t.equal(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).steps[0].output, 'hello\n');
});

t.test('secrets are never saved: resume takes them from the environment or refuses naming them', async (t) => {
  const dir = tempDir(t);
  const secrets = { DB_PASSWORD: 'hunter2-is-not-a-password', GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', PLAIN_NAME: 'AKIAIOSFODNN7EXAMPLE' };
  writeFiles(dir, {
    's.md':
      fence('bash run id=setup', `export DB_PASSWORD=${secrets.DB_PASSWORD} GITHUB_TOKEN=${secrets.GITHUB_TOKEN}; PLAIN_NAME=${secrets.PLAIN_NAME}; COLOR=blue`) +
      // Values from the environment are masked in outputs, so the step prints their lengths.
      fence('bash run id=use', 'test -f go && echo "${#DB_PASSWORD}|${#GITHUB_TOKEN}|$PLAIN_NAME|$COLOR"'),
  });
  t.equal((await runCli(['run', 's.md'], { cwd: dir })).code, 1);
  const saved = readdirSync(stateDir(dir)).map((f) => readFileSync(join(stateDir(dir), f), 'utf8')).join('\n');
  for (const value of Object.values(secrets)) t.notOk(saved.includes(value), `${value.slice(0, 6)}… is not in the saved state`);
  t.match(saved, /COLOR="?blue/, 'other variables are saved');
  t.same(readIndex(dir).steps.use.secrets.sort(), ['DB_PASSWORD', 'GITHUB_TOKEN', 'PLAIN_NAME']);
  writeFiles(dir, { go: '' });

  const refused = await runCli(['run', 's.md', '--from', 'use'], { cwd: dir });
  t.equal(refused.code, 2, refused.out);
  t.match(refused.out, /--from use: the saved state leaves out the value of (DB_PASSWORD, GITHUB_TOKEN, PLAIN_NAME|[A-Z_, ]+) \(secrets are never saved\)\n {2}Export them in your environment or pass --set/);
  const resumed = await runCli(['run', 's.md', '--from', 'use', '--set', 'PLAIN_NAME=from-set', '--report', 'r.json'], { cwd: dir, env: { DB_PASSWORD: 'from-the-environment', GITHUB_TOKEN: 'token-from-env' } });
  t.equal(resumed.code, 0, resumed.out);
  t.equal(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).steps[0].output, '20|14|from-set|blue\n', 'secrets from the environment, the rest from the saved state');

  writeFiles(dir, { 'fn.md': fence('bash run id=define', 'deploy() { curl -H "Authorization: Bearer abcdefghijklmnopqrstuvwx" https://x; }') + fence('bash run id=use', 'false') });
  t.equal((await runCli(['run', 'fn.md'], { cwd: dir })).code, 1);
  const fnRefused = await runCli(['run', 'fn.md', '--from', 'use'], { cwd: dir });
  t.equal(fnRefused.code, 2, fnRefused.out);
  t.match(fnRefused.out, /leaves out the function deploy: its body holds a secret/);
});

t.test('tampered saved state is refused with exit 2; nothing runs, nothing outside the directory is read', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 't.md': fence('bash cleanup id=tidy', 'touch cleaned') + fence('bash run id=setup', 'export GREETING=hi') + fence('bash run id=use', 'touch used; false'), 'evil.sh': 'touch "$RUNBOOK_ROOT/evil-ran"\n' });
  t.equal((await runCli(['run', 't.md'], { cwd: dir })).code, 1);
  rmSync(join(dir, 'used'));
  rmSync(join(dir, 'cleaned'));
  const good = readIndex(dir);
  const goodState = readFileSync(join(stateDir(dir), good.steps.use.state), 'utf8');
  const refusedWith = async (what: string, pattern: RegExp) => {
    const r = await runCli(['run', 't.md', '--from', 'use'], { cwd: dir });
    t.equal(r.code, 2, `${what} → 2\n${r.out}`);
    t.match(r.out, pattern, what);
    t.notMatch(r.out, /at .*\.ts:\d+|internal error/, `${what}: no stack trace`);
    t.notOk(existsSync(join(dir, 'used')) || existsSync(join(dir, 'cleaned')) || existsSync(join(dir, 'evil-ran')), `${what}: nothing ran`);
  };

  writeFileSync(join(stateDir(dir), 'index.json'), 'null');
  await refusedWith('index.json is null', /\.runbook\/state\/[^:]+\/index\.json: expected a JSON object\n {2}This saved state cannot be trusted; delete/);
  writeFileSync(join(stateDir(dir), 'index.json'), '{"version": 2, "runs": {}, "steps": {');
  await refusedWith('index.json is cut short', /index\.json: not valid JSON/);
  writeIndex(dir, { ...good, steps: { ...good.steps, use: { ...good.steps.use, state: '../../../evil.sh' } } });
  await refusedWith('an entry points out of the directory', /state of step use: "\.\.\/\.\.\/\.\.\/evil\.sh" is not a state file name/);
  writeIndex(dir, { ...good, steps: { ...good.steps, use: { ...good.steps.use, run: 'constructor' } } });
  await refusedWith('an entry names a run that is not there', /state of step use: names an unknown run/);
  writeIndex(dir, { ...good, steps: { ...good.steps, use: { ...good.steps.use, ran: 99 } } });
  await refusedWith('an entry counts more steps than its run ran', /state of step use: run \S+ ran \d steps, not 99/);

  writeIndex(dir, good);
  const file = join(stateDir(dir), good.steps.use.state);
  rmSync(file);
  symlinkSync(join(dir, 'evil.sh'), file);
  await refusedWith('the state file is a symbolic link', /is a symbolic link; saved state is never followed out of its directory/);
  rmSync(file);
  writeFileSync(file, goodState + 'touch "$RUNBOOK_ROOT/evil-ran"\n');
  await refusedWith('the state file was edited', /changed since it was saved\n {2}Saved state is sourced as bash/);
  replaceState(dir, 'use', goodState + 'if then fi (\n');
  await refusedWith('the state is not valid bash', /not valid bash \(.*syntax error/);
  replaceState(dir, 'use', goodState + 'echo "restored and chatty"\n');
  await refusedWith('the state prints something', /resume: restoring \S+ failed \(exit 0\): restored and chatty|restoring \S+ failed \(exit 0\): restored and chatty/);
  // bash's own message about a line of the state names that line of the state file: the
  // session's scratch copy is never shown.
  const failing = goodState + 'no-such-restore-command-xyz\n';
  replaceState(dir, 'use', failing);
  const line = failing.split('\n').indexOf('no-such-restore-command-xyz') + 1;
  const shown = `.runbook/state/${stateDir(dir).split('/').pop()}/${readIndex(dir).steps.use.state}`;
  await refusedWith('a line of the state fails', new RegExp(`restoring ${escapeRegExp(shown)} failed \\(exit 0\\): ${escapeRegExp(shown)}: line ${line}: no-such-restore-command-xyz: command not found`));
  const again = await runCli(['run', 't.md', '--from', 'use'], { cwd: dir });
  t.notMatch(again.out, /runbook-session-|code-\d+\.sh/, 'no scratch path in the message');
});

t.test('a saved state that never returns is ended by the step timeout, or by a signal, leaving nothing', async (t) => {
  const dir = tempDir(t);
  writeFiles(dir, { 'h.md': '---\ntimeout: 1s\n---\n' + fence('bash cleanup id=tidy', 'touch cleaned') + fence('bash run id=setup', 'true') + fence('bash run id=use', 'touch used; false') });
  t.equal((await runCli(['run', 'h.md'], { cwd: dir })).code, 1);
  rmSync(join(dir, 'cleaned'));
  rmSync(join(dir, 'used'));
  const state = readFileSync(join(stateDir(dir), readIndex(dir).steps.use.state), 'utf8');
  replaceState(dir, 'use', state + 'sleep 82.25\n');
  const timedOut = await runCli(['run', 'h.md', '--from', 'use'], { cwd: dir });
  t.equal(timedOut.code, 2, timedOut.out);
  t.match(timedOut.out, /restoring \S+ did not finish within 1s/);
  t.notOk(existsSync(join(dir, 'used')) || existsSync(join(dir, 'cleaned')), 'nothing of the runbook ran');
  t.same(processesWith('sleep 82.25'), []);

  writeFiles(dir, { 'h.md': readFileSync(join(dir, 'h.md'), 'utf8').replace('timeout: 1s', 'timeout: 10m') });
  const index = readIndex(dir);
  renameSync(join(stateDir(dir), index.steps.use.state), join(stateDir(dir), 'kept.sh'));
  replaceState(dir, 'use', state + 'sleep 82.75\n');
  let pid = 0;
  const running = runCli(['run', 'h.md', '--from', 'use'], { cwd: dir, onSpawn: (p) => (pid = p) });
  await until(() => processesWith('sleep 82.75').length === 1, 'the restore to hang');
  process.kill(pid, 'SIGTERM');
  const r = await running;
  t.equal(r.code, 130, r.out);
  t.match(r.out, /interrupted while restoring the saved state/);
  t.same(processesWith('sleep 82.75'), [], 'the hanging restore is gone');
});
