-- Versioned scoring models written by the trainer; the recommender serves the newest.
CREATE TABLE IF NOT EXISTS recs_models (
  version     text PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now(),
  model       jsonb NOT NULL,
  evaluation  jsonb NOT NULL,
  trained_on  jsonb NOT NULL
);

CREATE INDEX IF NOT EXISTS recs_models_created ON recs_models (created_at DESC);

-- Item similarity (cosine over session co-occurrence) of each model version, top-K per item.
CREATE TABLE IF NOT EXISTS recs_item_similarity (
  model_version text NOT NULL REFERENCES recs_models (version) ON DELETE CASCADE,
  product_id    text NOT NULL,
  neighbour_id  text NOT NULL,
  similarity    double precision NOT NULL,
  PRIMARY KEY (model_version, product_id, neighbour_id)
);
