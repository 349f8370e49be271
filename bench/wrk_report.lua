-- wrk -s bench/wrk_report.lua: after the run, print one line "BENCH_JSON {...}" for bench/harness.py, with the
-- exact latency histogram ([µs, requests] pairs) so that rounds can be merged into true percentiles.
function done(summary, latency, requests)
  local e, pairs = summary.errors, {}
  for i = 1, #latency do
    local us, count = latency(i)
    pairs[i] = string.format("[%d, %d]", us, count)
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d}, "latency_us": [%s]}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, table.concat(pairs, ", ")))
end
