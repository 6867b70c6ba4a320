// DOM builders of the storefront. Text goes in through textContent only (never innerHTML).

const price = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatPrice(value) {
  return price.format(value);
}

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function hash(text) {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return Math.abs(h);
}

/** A generated product tile: the category gives the hue, the product a shade and its initials. */
export function productArt(product, className = 'art') {
  const art = el('div', className);
  const hue = hash(product.categoryId) % 360;
  const shade = 38 + (hash(product.id) % 22);
  art.style.background = `linear-gradient(135deg, hsl(${hue} 70% ${shade + 18}%), hsl(${(hue + 40) % 360} 62% ${shade}%))`;
  const initials = product.name
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => w[0] ?? '')
    .join('');
  art.append(el('span', 'initials', initials.toUpperCase()));
  return art;
}

export function stockText(stock) {
  if (stock === 0) return 'Out of stock';
  if (stock < 10) return `Only ${stock} left`;
  return 'In stock';
}

export function productCard(product) {
  const card = el('a', 'product-card');
  card.href = `#/p/${encodeURIComponent(product.id)}`;
  card.dataset.productId = product.id;
  card.dataset.categoryId = product.categoryId;
  card.append(
    productArt(product),
    el('span', 'card-name', product.name),
    el('span', 'card-price', formatPrice(product.price)),
    el('span', `card-stock${product.stock === 0 ? ' out' : ''}`, stockText(product.stock)),
  );
  return card;
}

/** One entry of "recommended for you" / "trending now". */
export function recItem(item, product, categoryName) {
  const li = el('li', 'rec-item');
  li.dataset.productId = item.productId;
  if (product) li.dataset.categoryId = product.categoryId;
  const link = el('a', 'rec-link');
  link.href = `#/p/${encodeURIComponent(item.productId)}`;
  const text = el('span', 'rec-text');
  text.append(
    el('span', 'rec-name', product ? product.name : item.productId),
    el('span', 'rec-reason', [categoryName, item.reason].filter(Boolean).join(' · ')),
  );
  link.append(
    product ? productArt(product, 'art art-small') : el('span', 'art art-small'),
    text,
    el('span', 'rec-price', product ? formatPrice(product.price) : ''),
  );
  li.append(link);
  return li;
}
