-- Every statement that writes a table behind a view bumps dash_views_version, whoever runs it:
-- the sink, retention, a migration or an operator's fix. The dashboard polls that one row and
-- re-reads the views when it moved (src/dashboard/change-feed.ts), so no committed change is
-- left off an open page (retention's deletes used to be: they did not bump it).
-- BEFORE the statement, so every writer locks the version row before any window row, in the
-- order the sink already does: a DELETE of retention and a sink batch cannot deadlock.
-- A statement that changes no row bumps it too: one spare re-read, never a missed change.
create function dash_views_changed() returns trigger language plpgsql as $$
begin
  update dash_views_version set version = version + 1 where id = 1;
  return null;
end
$$;

do $$
declare
  rollup text;
begin
  foreach rollup in array array['dash_requests_1s', 'dash_requests_10s', 'dash_status_1m', 'dash_latency_1m',
                                'dash_paths_5m', 'dash_unique_clients_1m'] loop
    execute format('create trigger dash_views_changed before insert or update or delete or truncate on %I
                    for each statement execute function dash_views_changed()', rollup);
  end loop;
end
$$;
