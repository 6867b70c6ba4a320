// The storefront: categories, product pages, and the live panels ("recommended for you",
// "trending now", "bought together"). Views, add-to-cart and purchases are posted as events; the
// panels refresh quickly after each one so the pipeline's reaction is visible.
import { currentUserId, getJson, sendEvent, setUserId } from './api.js';
import { el, formatPrice, productArt, productCard, recItem, stockText } from './render.js';

const PAGE_SIZE = 24;
const $ = (id) => document.getElementById(id);

const state = {
  userId: currentUserId(),
  categories: [],
  categoryNames: new Map(),
  categoryId: undefined,
  offset: 0,
  product: undefined,
  fastUntil: 0,
};

async function loadCategories() {
  const { categories } = await getJson('/categories');
  state.categories = categories;
  state.categoryNames = new Map(categories.map((c) => [c.id, c.name]));
  const nav = $('category-nav');
  nav.replaceChildren(
    ...categories.map((c) => {
      const li = el('li');
      const a = el('a', 'category-link', c.name);
      a.href = `#/c/${encodeURIComponent(c.id)}`;
      a.dataset.categoryId = c.id;
      li.append(a);
      return li;
    }),
  );
}

function highlightCategory(categoryId) {
  for (const a of document.querySelectorAll('.category-link')) {
    a.classList.toggle('active', a.dataset.categoryId === categoryId);
  }
}

async function showCategory(categoryId, offset = 0) {
  state.categoryId = categoryId;
  state.offset = offset;
  $('product-view').hidden = true;
  $('category-view').hidden = false;
  highlightCategory(categoryId);
  $('category-title').textContent = state.categoryNames.get(categoryId) ?? categoryId;
  const page = await getJson(
    `/categories/${encodeURIComponent(categoryId)}/products?limit=${PAGE_SIZE}&offset=${offset}`,
  );
  $('product-grid').replaceChildren(...page.products.map(productCard));
  $('page-label').textContent = `page ${Math.floor(offset / PAGE_SIZE) + 1}`;
  $('prev-page').disabled = offset === 0;
  $('next-page').disabled = page.products.length < PAGE_SIZE;
}

async function showProduct(productId) {
  const product = await getJson(`/products/${encodeURIComponent(productId)}`);
  state.product = product;
  state.categoryId = product.categoryId;
  $('category-view').hidden = true;
  $('product-view').hidden = false;
  highlightCategory(product.categoryId);
  $('back-link').href = `#/c/${encodeURIComponent(product.categoryId)}`;
  $('product-art').replaceWith(Object.assign(productArt(product, 'art art-large'), { id: 'product-art' }));
  $('product-category').textContent = product.category.name;
  $('product-name').textContent = product.name;
  $('product-price').textContent = formatPrice(product.price);
  $('product-stock').textContent = stockText(product.stock);
  $('product-stock').classList.toggle('out', product.stock === 0);
  $('add-to-cart').disabled = product.stock === 0;
  $('buy-now').disabled = product.stock === 0;
  $('action-status').textContent = '';
  main.scrollTop = 0;
  await Promise.all([track('view', product.id), refreshTogether(product.id)]);
}

async function track(type, productId) {
  try {
    await sendEvent(state.userId, type, productId);
    setConnection('live', 'live');
    // the pipeline answers within a fraction of a second: look closely for a few seconds
    state.fastUntil = Date.now() + 6000;
    scheduleRefresh(250);
  } catch (error) {
    setConnection('error', error.message);
  }
}

async function refreshTogether(productId) {
  const { items } = await getJson(`/products/${encodeURIComponent(productId)}/together?limit=5`);
  const row = $('together');
  if (items.length === 0) {
    row.replaceChildren(el('p', 'empty muted', 'No shopper has bought this with anything else yet.'));
    return;
  }
  row.replaceChildren(
    ...items.map(({ product, together }) => {
      const card = productCard(product);
      card.append(el('span', 'card-together', `${together}× together`));
      return card;
    }),
  );
}

async function renderRecList(listId, answer) {
  const ids = answer.items.map((i) => i.productId);
  const products = ids.length === 0 ? [] : (await getJson(`/products?ids=${ids.join(',')}`)).products;
  const byId = new Map(products.map((p) => [p.id, p]));
  const list = $(listId);
  if (answer.items.length === 0) {
    list.replaceChildren(el('li', 'empty muted', 'Nothing yet: browse a little.'));
    return;
  }
  list.replaceChildren(
    ...answer.items.map((item) => {
      const product = byId.get(item.productId);
      return recItem(item, product, product ? state.categoryNames.get(product.categoryId) : undefined);
    }),
  );
}

let refreshing = false;
async function refreshPanels() {
  if (refreshing) return;
  refreshing = true;
  try {
    const [recs, trending] = await Promise.all([
      getJson(`/recommendations/${encodeURIComponent(state.userId)}?limit=8`),
      getJson('/trending?limit=6'),
    ]);
    const badge = $('recommended-source');
    badge.textContent = recs.source === 'personal' ? 'for you' : 'popular';
    badge.dataset.source = recs.source;
    $('recommended-panel').dataset.source = recs.source;
    $('recommended-meta').textContent =
      `model ${recs.modelVersion} · ${new Date(recs.generatedAt).toLocaleTimeString()}`;
    await Promise.all([renderRecList('recommended', recs), renderRecList('trending', trending)]);
    setConnection('live', 'live');
  } catch (error) {
    setConnection('error', error.message);
  } finally {
    refreshing = false;
  }
}

let timer;
function scheduleRefresh(delayMs) {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    await refreshPanels();
    scheduleRefresh(Date.now() < state.fastUntil ? 500 : 4000);
  }, delayMs);
}

function setConnection(stateName, text) {
  const pill = $('connection');
  pill.dataset.state = stateName;
  pill.textContent = text;
}

async function route() {
  const [, kind, id] = location.hash.match(/^#\/([cp])\/(.+)$/) ?? [];
  try {
    if (kind === 'p') await showProduct(decodeURIComponent(id));
    else if (kind === 'c') await showCategory(decodeURIComponent(id));
    else if (state.categories[0]) await showCategory(state.categories[0].id);
  } catch (error) {
    setConnection('error', error.message);
  }
}

const main = $('main');

async function start() {
  $('user-id').value = state.userId;
  $('user-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const next = $('user-id').value.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(next)) return;
    state.userId = next;
    setUserId(next);
    scheduleRefresh(0);
  });
  $('prev-page').addEventListener('click', () =>
    showCategory(state.categoryId, Math.max(0, state.offset - PAGE_SIZE)),
  );
  $('next-page').addEventListener('click', () => showCategory(state.categoryId, state.offset + PAGE_SIZE));
  $('add-to-cart').addEventListener('click', async () => {
    await track('add_to_cart', state.product.id);
    $('action-status').textContent = 'Added to your cart.';
  });
  $('buy-now').addEventListener('click', async () => {
    await track('purchase', state.product.id);
    $('action-status').textContent = 'Thank you for your order!';
  });
  window.addEventListener('hashchange', route);
  await loadCategories();
  await route();
  scheduleRefresh(0);
}

start();
