// Test pages for the screenshot directive and the HTML report tests. Each is small, static apart
// from what the test is about (a clock, a sign-in, text that appears late), and uses no fonts
// or resources from outside, so captures are stable on any machine.
const page = (title: string, body: string, script = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<style>body{margin:0;font:16px sans-serif;background:#fff;color:#111}nav{background:#1f2937;color:#fff;height:56px;display:flex;align-items:center;justify-content:space-between;padding:0 16px}
.card{position:absolute;left:24px;top:96px;width:300px;height:150px;background:#2563eb;color:#fff}#tall{height:2000px;background:linear-gradient(#fff,#93c5fd)}</style>
</head><body>${body}${script ? `<script>${script}</script>` : ''}</body></html>`;

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A long page with one fixed-size element (#card, 300x150 CSS pixels). */
export const tallPage = () => page('Tall', `<h1>A tall page</h1><div id="card" class="card">card</div><div id="tall"></div>`);

/** Modelled on BookInfo's productpage: a Sign in button opening a dialog whose form posts to login. */
export function productPage(user: string | undefined): string {
  const nav = user
    ? `<div><p id="user">${escapeHtml(user)}</p><a href="logout">Sign out</a></div>`
    : `<button type="button" id="sign-in-button">Sign in</button>`;
  const script = `window.addEventListener('DOMContentLoaded', () => {
  const open = document.querySelector('#sign-in-button');
  if (open) open.addEventListener('click', () => document.querySelector('dialog').showModal());
});`;
  return page(
    'Simple Bookstore App',
    `<nav><a href="#">BookInfo Sample</a>${nav}</nav>
<dialog id="dialog"><h2>Sign in to BookInfo</h2>
<form method="post" action="login" name="login_form">
<label for="username">Username</label><input id="username" name="username" required>
<label for="password">Password</label><input id="password" name="passwd" type="password" required>
<button type="submit">Sign in</button></form></dialog>
<h1>The Comedy of Errors</h1><p>Book details and reviews would be here.</p>`,
    script,
  );
}

/** A clock that changes every few milliseconds: unmasked, two captures never match. */
export const clockPage = () =>
  page(
    'Clock',
    `<h1>Status</h1><p>All systems normal.</p><div id="clock" style="font:20px monospace;width:320px;height:40px;overflow:hidden"></div>`,
    `const c = document.getElementById('clock'); const tick = () => { c.textContent = new Date().toISOString(); }; tick(); setInterval(tick, 7);`,
  );

/** White page with a black square of `size` pixels at the top left: controls drift exactly. */
export const squarePage = (size: number) =>
  page('Square', `<div style="position:absolute;left:0;top:0;width:${size}px;height:${size}px;background:#000"></div>`);

/** Text that appears `afterMs` after load. */
export const latePage = (afterMs: number, text: string) =>
  page('Late', `<h1>Waiting</h1><p id="late"></p>`, `setTimeout(() => { document.getElementById('late').textContent = ${JSON.stringify(text)}; }, ${afterMs});`);

/** A button reveals a search field; Enter shows "Done: <query>". */
export const actionsPage = () =>
  page(
    'Actions',
    `<button id="more">More</button><form id="f" hidden><input id="q" name="q"></form><p id="result"></p>`,
    `document.getElementById('more').onclick = () => { document.getElementById('f').hidden = false; };
document.getElementById('f').onsubmit = (e) => { e.preventDefault(); document.getElementById('result').textContent = 'Done: ' + document.getElementById('q').value; };`,
  );
