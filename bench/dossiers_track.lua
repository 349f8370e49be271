-- wrk -s bench/dossiers_track.lua URL -- CODES_FILE: public tracking (GET /api/v1/tracking/{code}) of a random
-- existing dossier code per request; CODES_FILE holds a random sample of the database's codes, one per line
-- (bench/dossiers_seed.py; pgbench picks from the same sample). Prints wrk_report.lua's BENCH_JSON.
local dir = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
dofile(dir .. "/wrk_report.lua")

local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local codes = {}

function init(args)
  for line in io.lines(args[1]) do table.insert(codes, line) end
  math.randomseed(os.time() + 7919 * tid)
end

function request()
  return wrk.format("GET", "/api/v1/tracking/" .. codes[math.random(#codes)])
end
