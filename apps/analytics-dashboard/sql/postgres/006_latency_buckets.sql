-- The latency histogram holds bucket bounds from now on (src/views/latency-buckets.ts): a request
-- time stays itself up to 100 ms, then becomes the upper bound of its 10 ms step to 1 s, its
-- 100 ms step to 10 s, its 1 s step beyond. The sink writes bounds (src/sink/rollup-sql.ts); this
-- folds the rows of whole milliseconds written before into their bucket, so every window follows
-- the same definition and the view's percentiles are bucket bounds, as on the other engines.
with folded as (
  delete from dash_latency_1m
  where duration_ms > 100
    and duration_ms <> case when duration_ms <= 1000 then ceil(duration_ms / 10) * 10
                            when duration_ms <= 10000 then ceil(duration_ms / 100) * 100
                            else ceil(duration_ms / 1000) * 1000 end
  returning window_start, route,
    case when duration_ms <= 1000 then ceil(duration_ms / 10) * 10
         when duration_ms <= 10000 then ceil(duration_ms / 100) * 100
         else ceil(duration_ms / 1000) * 1000 end as duration_ms,
    requests
)
insert into dash_latency_1m as t (window_start, route, duration_ms, requests)
select window_start, route, duration_ms, sum(requests)::bigint
from folded
group by window_start, route, duration_ms
on conflict (window_start, route, duration_ms) do update set requests = t.requests + excluded.requests;

analyze dash_latency_1m;

-- open dashboards re-read the views
update dash_views_version set version = version + 1 where id = 1;
