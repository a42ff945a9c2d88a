import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../app/testing/run-cli';
import type { AggregateStatus, TrayItem, TrayState } from '../../app/tray/tray-model';
import { aggregateStatus, buildTrayTemplate, trayTitle } from '../../app/tray/tray-template';

const ICON: Record<AggregateStatus, string> = {
  connected: 'tray-linux.png',
  attention: 'tray-linux-attention.png',
  disconnected: 'tray-linux-disconnected.png',
};

/**
 * Clicks go to the host; a failed action comes back with the dialog main would show natively:
 * what happened, "Open details" and "Close" (focused first: the safe default; Escape closes).
 */
const DIALOG_SCRIPT = `
const dialog = document.getElementById('failure');
let details;
const close = () => { dialog.hidden = true; };
document.getElementById('failure-close').onclick = close;
document.getElementById('failure-details').onclick = () => { close(); window.__trayRun(details); };
dialog.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') close();
  if (e.key === 'Tab') {
    const b = [...dialog.querySelectorAll('button')];
    const i = b.indexOf(document.activeElement);
    e.preventDefault();
    b[(i + (e.shiftKey ? b.length - 1 : 1)) % b.length].focus();
  }
});
document.addEventListener('click', async (e) => {
  const b = e.target.closest('button[data-id]');
  if (!b || !window.__trayClick) return;
  const { failure } = await window.__trayClick(b.dataset.id);
  if (!failure) return;
  details = failure.details;
  document.getElementById('failure-title').textContent = failure.title;
  document.getElementById('failure-message').textContent = failure.message;
  dialog.hidden = false;
  document.getElementById('failure-close').focus();
});`;

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function itemHtml(item: TrayItem): string {
  switch (item.kind) {
    case 'separator':
      return '<li role="separator"></li>';
    case 'submenu':
      return `<li role="none" class="submenu"><span role="menuitem" aria-haspopup="menu" aria-expanded="true" data-id="${escape(item.id)}">${escape(item.label)}<span class="arrow" aria-hidden="true">▸</span></span><ul role="menu" aria-label="${escape(item.label)}">${item.items.map(itemHtml).join('')}</ul></li>`;
    case 'item': {
      const role = item.checked === undefined ? 'menuitem' : 'menuitemcheckbox';
      const checked = item.checked === undefined ? '' : ` aria-checked="${item.checked}"`;
      const mark = item.checked ? '✓' : '';
      const clickable = item.enabled && item.action !== undefined;
      const title = item.toolTip ? ` title="${escape(item.toolTip)}"` : '';
      return `<li role="none"><button type="button" role="${role}"${checked}${title} data-id="${escape(item.id)}"${clickable ? '' : ' aria-disabled="true" disabled'}><span class="check" aria-hidden="true">${mark}</span>${escape(item.label)}</button></li>`;
    }
  }
}

/**
 * The tray as an HTML menu, for the browser e2e target: built by the same buildTrayTemplate as
 * the native menu, with the same icon files and tooltip text, every submenu shown open, so one
 * screenshot shows a whole tray state. Clicks go to `window.__trayClick(id)`.
 */
export function trayHtml(state: TrayState, items: TrayItem[] = buildTrayTemplate(state)): string {
  const status = aggregateStatus(state);
  const icon = fs
    .readFileSync(path.join(REPO_ROOT, 'build', 'tray', ICON[status]))
    .toString('base64');
  const title = trayTitle(state);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>
:root { color-scheme: light dark; --bg:#f3f3f5; --menu:#fff; --fg:#1d1d1f; --muted:#6e6e73; --line:#d8d8dc; --hover:#2563eb; }
@media (prefers-color-scheme: dark) { :root { --bg:#111113; --menu:#2a2a2d; --fg:#ececf1; --muted:#9a9aa2; --line:#3a3a3e; --hover:#4f7cff; } }
body { margin:0; font: 13px system-ui, sans-serif; background: var(--bg); color: var(--fg); }
.panel { display:flex; justify-content:flex-end; align-items:center; gap:8px; padding:4px 12px; background:#1f1f22; color:#eee; }
.panel img { width:24px; height:24px; }
.tooltip { font-size:12px; background:#333; color:#fff; padding:2px 6px; border-radius:4px; }
ul[role=menu] { list-style:none; margin:0; padding:4px 0; }
body > ul[role=menu] { width: 560px; margin: 4px 12px 12px auto; background: var(--menu); border:1px solid var(--line); border-radius:8px; box-shadow:0 6px 24px #0003; }
li[role=separator] { border-top:1px solid var(--line); margin:4px 0; }
li[role=none] > button, .submenu > span { display:flex; width:100%; gap:6px; text-align:left; border:0; background:none; color:inherit; font:inherit; padding:4px 12px; }
li[role=none] > button:not([disabled]):hover { background: var(--hover); color:#fff; cursor:pointer; }
button[disabled] { color: var(--muted); }
.check { width: 1em; }
.submenu > span { font-weight:600; }
.submenu > span .arrow { margin-left:auto; color: var(--muted); }
.submenu > ul[role=menu] { margin-left: 24px; border-left: 2px solid var(--line); padding: 0; }
#failure { position: fixed; top: 80px; left: 40px; width: 380px; padding: 16px; background: var(--menu); border: 1px solid var(--line); border-radius: 10px; box-shadow: 0 10px 40px #0005; }
#failure h2 { margin: 0 0 8px; font-size: 15px; }
#failure .buttons { display: flex; justify-content: flex-end; gap: 8px; }
#failure button { padding: 4px 12px; }
</style></head><body>
<div class="panel" role="status"><span class="tooltip" data-testid="tray-tooltip">${escape(title)}</span><img src="data:image/png;base64,${icon}" alt="${escape(title)}" data-status="${status}"></div>
<ul role="menu" aria-label="Switchboard tray menu">${items.map(itemHtml).join('')}</ul>
<div id="failure" role="alertdialog" aria-modal="true" aria-labelledby="failure-title" aria-describedby="failure-message" hidden>
<h2 id="failure-title"></h2><p id="failure-message"></p>
<div class="buttons"><button type="button" id="failure-details">Open details</button><button type="button" id="failure-close">Close</button></div>
</div>
<script>${DIALOG_SCRIPT}</script>
</body></html>`;
}
