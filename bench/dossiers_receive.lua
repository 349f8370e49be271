-- wrk -s bench/dossiers_receive.lua URL -- IDS_FILE OFFSET THREADS: the one-stop officer receives dossiers
-- submitted online (POST /api/v1/dossiers/{id}/actions/receive with expected_version 1). Every request acts on a
-- different dossier of the pool (one id per line in IDS_FILE, written by bench/dossiers_seed.py): thread t takes
-- the ids at OFFSET + t, OFFSET + t + THREADS, … The Authorization header comes from wrk's -H. Prints
-- wrk_report.lua's BENCH_JSON and a BENCH_DOSSIERS line: the most ids a thread used (the next run's OFFSET moves
-- past them) and how many requests found the pool used up (those answer 404 and count as errors).
local dir = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
dofile(dir .. "/wrk_report.lua")
local report = done

local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

issued, exhausted = 0, 0
local ids, offset, step, hdrs = {}, 0, 1, {}
local body = '{"expected_version": 1}'

function init(args)
  for line in io.lines(args[1]) do table.insert(ids, line) end
  offset, step = tonumber(args[2]), tonumber(args[3])
  for k, v in pairs(wrk.headers) do hdrs[k] = v end
  hdrs["Content-Type"] = "application/json"
end

function request()
  local i = offset + tid + issued * step + 1
  issued = issued + 1
  local id = ids[i]
  if id == nil then
    exhausted = exhausted + 1
    id = "0"
  end
  return wrk.format("POST", "/api/v1/dossiers/" .. id .. "/actions/receive", hdrs, body)
end

function done(summary, latency, requests)
  local most, out = 0, 0
  for _, t in ipairs(threads) do
    most = math.max(most, t:get("issued"))
    out = out + t:get("exhausted")
  end
  io.write(string.format('BENCH_DOSSIERS {"issued_per_thread": %d, "exhausted": %d}\n', most, out))
  report(summary, latency, requests)
end
