// The report's stylesheet, inlined so the file needs nothing else. Light and dark follow the
// reader's system; colours carry status but text says it too (badges, "slow").
export const REPORT_CSS = `
:root{--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--card:#f6f8fa;--pass:#1a7f37;--fail:#cf222e;--skip:#8c959f;--time:#bf8700;--code:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--card:#161b22;--code:#161b22}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:0;font-family:ui-monospace,monospace;word-break:break-all}h4{font-size:13px;margin:14px 0 6px}h5{font-size:12px;margin:10px 0 4px}
.muted{color:var(--muted);font-weight:normal}
.summary{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}
.summary div{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:110px}
.summary b{display:block;font-size:20px}
.status-line{font-size:16px;margin:6px 0}
.badge{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;font-weight:600;color:#fff;background:var(--skip);text-transform:uppercase;letter-spacing:.03em}
.badge.passed{background:var(--pass)}.badge.failed,.badge.timedout,.badge.interrupted{background:var(--fail)}
table.facts{border-collapse:collapse}table.facts td,table.facts th{border:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
table.facts pre{margin:0}
.failures li{margin:3px 0}
.step{border:1px solid var(--line);border-left:5px solid var(--skip);border-radius:6px;padding:10px 14px;margin:12px 0;background:var(--bg)}
.step.passed{border-left-color:var(--pass)}.step.failed,.step.timedout{border-left-color:var(--fail)}
.step header{display:flex;flex-wrap:wrap;align-items:center;gap:10px}
.step .kind{font-size:12px;color:var(--muted);border:1px solid var(--line);border-radius:4px;padding:0 6px}
.step .facts{margin-left:auto;display:flex;gap:12px;color:var(--muted);font-size:12px}
.message{color:var(--fail);font-weight:600;margin:8px 0}.message.quiet{color:var(--muted);font-weight:normal}
.manual{margin:8px 0;padding:4px 8px;border-left:3px solid var(--time);background:var(--card)}
.badge.manual{background:var(--time)}.badge.not-run{background:transparent;color:var(--muted);border:1px dashed var(--skip)}
.step.not-run{border-left-style:dashed;opacity:.85}
ol.earlier{margin:4px 0 8px 18px;padding:0}
pre{background:var(--code);border:1px solid var(--line);border-radius:4px;padding:8px 10px;overflow:auto;max-height:420px;margin:0;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre}
pre.diff .del{color:var(--fail);background:rgba(207,34,46,.08);display:inline-block;width:100%}
pre.diff .add{color:var(--pass);background:rgba(26,127,55,.08);display:inline-block;width:100%}
pre.diff .eli,pre.diff .meta{color:var(--muted)}pre.diff .hunk{color:#8250df}
details{margin:8px 0}summary{cursor:pointer;color:var(--muted);font-size:13px}
b.slow,.dur.slow{color:var(--time)}
.shots{display:flex;flex-wrap:wrap;gap:12px}.shots figure{margin:0;max-width:100%}
.shots img{max-width:520px;width:100%;border:1px solid var(--line);border-radius:4px;background:#fff}
figcaption{font-size:12px;color:var(--muted)}
.timeline-box{overflow-x:auto;border:1px solid var(--line);border-radius:6px;padding:8px;background:var(--card)}
svg.timeline{max-width:100%;height:auto;font:12px system-ui,sans-serif}
svg.timeline .label,svg.timeline .tick,svg.timeline .dur{fill:var(--fg)}svg.timeline .tick{fill:var(--muted);font-size:11px}
svg.timeline .grid{stroke:var(--line);stroke-dasharray:3 3}
svg.timeline .bar{fill:var(--skip)}svg.timeline .bar.passed{fill:var(--pass)}svg.timeline .bar.failed,svg.timeline .bar.timedout{fill:var(--fail)}
svg.timeline .bar.slow{stroke:var(--time);stroke-width:2}svg.timeline .dur.slow{fill:var(--time);font-weight:700}
svg.timeline a.row:hover text.label{text-decoration:underline}
.notes li{color:var(--fail)}
footer{margin-top:30px;color:var(--muted);font-size:12px}
`;
