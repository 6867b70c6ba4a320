-- The product catalog the storefront shows and the recommender filters by (stock).
CREATE TABLE IF NOT EXISTS recs_categories (
  id   text PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE IF NOT EXISTS recs_products (
  id          text PRIMARY KEY,
  category_id text NOT NULL REFERENCES recs_categories (id),
  name        text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents > 0),
  stock       integer NOT NULL CHECK (stock >= 0)
);

CREATE INDEX IF NOT EXISTS recs_products_category ON recs_products (category_id, id);
