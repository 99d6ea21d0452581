// The clv-stream dashboard: a plain ES module over the JSON API (api-client.js keeps the key
// for the tab). Without a key the page is its first screen, which says how to get one.
// Each panel loads on its own; a refused key disconnects, any other failure stays in its panel.
import { accuracyPanel } from './accuracy-panel.js';
import { actionsPanel } from './actions-panel.js';
import { api, ApiError, forgetKey, storedKey, storeKey } from './api-client.js';
import { lookUp } from './customer-panel.js';
import { distributionPanel } from './distribution-panel.js';
import { $, formatDateTime, note, setShop } from './format.js';
import { revenuePanel } from './revenue-panel.js';
import { flowsPanel, segmentsPanel } from './segments-panel.js';

let loads = 0;
/** What every panel needs first: the shop's currency and time zone, and how far the data goes. */
let context = null;

function showMessage(text, isError = false) {
  $('message').textContent = text;
  $('message').className = isError ? 'error' : '';
}

function showConnected(connected) {
  $('connect').hidden = connected;
  $('panels').hidden = !connected;
  $('connected').hidden = !connected;
}

function disconnect(message) {
  forgetKey();
  context = null;
  showConnected(false);
  $('data-through').textContent = '';
  showMessage(message, message !== '');
}

/** Runs one panel's loader; a refused key disconnects, other failures stay in the panel. */
async function run(targetId, load) {
  try {
    await load();
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      disconnect('The API refused this key: enter another.');
      return false;
    }
    $(targetId).replaceChildren(note(`Could not load: ${e.message}`, 'error'));
    return true;
  }
}

const showCustomer = (id) => {
  $('customer-id').value = id;
  $('customer-id').scrollIntoView({ block: 'center' });
  void run('customer', () => lookUp(id));
};

async function loadContext() {
  const [distribution, months, { models }] = await Promise.all([
    api('/v1/clv/distribution?buckets=20'), api('/v1/revenue/actuals?period=month'), api('/v1/models'),
  ]);
  setShop({ currency: distribution.currency, minorPerUnit: distribution.minor_per_unit, timeZone: months.time_zone });
  const latestOrderMs = months.latest_order_hour === null ? Date.now() : Date.parse(months.latest_order_hour);
  return { distribution, latestOrderMs, hasOrders: months.latest_order_hour !== null, champion: models.find((m) => m.status === 'champion') ?? null };
}

async function loadAll() {
  showMessage('Loading…');
  if (!(await run('message', async () => { context = await loadContext(); }))) return;
  if (context === null) return;
  showConnected(true);
  $('data-through').textContent = context.hasOrders ? `Data through ${formatDateTime(context.latestOrderMs)}` : 'No orders yet';
  await Promise.all([
    run('revenue', revenuePanel),
    run('segments', () => segmentsPanel(context)),
    run('flows', () => flowsPanel(context, { onCustomer: showCustomer })),
    run('actions', () => actionsPanel({ onCustomer: showCustomer })),
    run('distribution', async () => distributionPanel(context.distribution, context.champion)),
    run('accuracy', accuracyPanel),
  ]);
  if (!storedKey()) return;
  $('updated').textContent = `Updated ${new Date().toLocaleTimeString('en-GB')}`;
  showMessage('');
  // A counter the browser test waits on: it changes once every panel has (re)loaded.
  document.body.dataset.loaded = String(++loads);
}

/** Reloads one panel after a control changed; the counter tells the browser test it is done. */
async function reload(targetId, load) {
  document.body.dataset.panel = '';
  await run(targetId, load);
  document.body.dataset.panel = `${targetId}:${++loads}`;
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  storeKey($('api-key').value.trim());
  $('api-key').value = '';
  void loadAll();
});
$('refresh').addEventListener('click', () => void loadAll());
$('forget').addEventListener('click', () => disconnect(''));
$('revenue-segment').addEventListener('change', () => void reload('revenue', revenuePanel));
for (const input of document.querySelectorAll('input[name="revenue-period"]')) input.addEventListener('change', () => void reload('revenue', revenuePanel));
$('flows-window').addEventListener('change', () => void reload('flows', () => flowsPanel(context, { onCustomer: showCustomer })));
$('lookup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void run('customer', () => lookUp($('customer-id').value.trim()));
});

if (storedKey()) void loadAll();
else showConnected(false);
