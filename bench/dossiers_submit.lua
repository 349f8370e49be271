-- wrk -s bench/dossiers_submit.lua URL -- DATA_FILE PDF_FILE TAG: online submission through the API, as a citizen's
-- browser does it: POST /api/v1/dossiers (a draft, with a fresh Idempotency-Key), POST …/{id}/attachments (the
-- required document, multipart), POST …/{id}/submit. Three requests per dossier, chained through the responses:
-- the draft's id comes from the 201 body, the upload is recognised by its file name d<id>.pdf. DATA_FILE (written
-- by bench/dossiers_seed.py): the component code, then "token<TAB>id number<TAB>JSON body" per citizen; each new
-- dossier goes to the next citizen. Prints wrk_report.lua's BENCH_JSON and a BENCH_DOSSIERS line with the counts.
local dir = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
dofile(dir .. "/wrk_report.lua")
local report = done

local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

created, uploaded, submitted, failed = 0, 0, 0, 0
local citizens, by_number, queue, owner = {}, {}, {}, {}
local component, pdf, tag, next_citizen, counter = nil, nil, "", 0, 0
local boundary = "----cqsbench7d1f0a"

function init(args)
  local data = assert(io.open(args[1], "r"))
  component = data:read("*l")
  for line in data:lines() do
    local token, number, body = line:match("^([^\t]+)\t([^\t]+)\t(.+)$")
    table.insert(citizens, {token = "Bearer " .. token, body = body})
    by_number[number] = #citizens
  end
  data:close()
  local f = assert(io.open(args[2], "rb"))
  pdf = f:read("*a")
  f:close()
  tag = (args[3] or "run") .. "-" .. tid
  next_citizen = tid * 7
end

local function headers(citizen, extra)
  local h = {Host = wrk.headers["Host"], Authorization = citizens[citizen].token}
  for k, v in pairs(extra or {}) do h[k] = v end
  return h
end

function request()
  local item = table.remove(queue, 1)
  if item and item.kind == "upload" then
    local body = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"component_code\"\r\n\r\n" ..
      component .. "\r\n--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d" ..
      item.id .. ".pdf\"\r\nContent-Type: application/pdf\r\n\r\n" .. pdf .. "\r\n--" .. boundary .. "--\r\n"
    return wrk.format("POST", "/api/v1/dossiers/" .. item.id .. "/attachments",
      headers(item.citizen, {["Content-Type"] = "multipart/form-data; boundary=" .. boundary}), body)
  elseif item then
    return wrk.format("POST", "/api/v1/dossiers/" .. item.id .. "/submit", headers(item.citizen), "")
  end
  counter = counter + 1
  next_citizen = next_citizen % #citizens + 1
  return wrk.format("POST", "/api/v1/dossiers", headers(next_citizen, {
    ["Content-Type"] = "application/json", ["Idempotency-Key"] = tag .. "-" .. counter}), citizens[next_citizen].body)
end

function response(status, hdrs, body)
  if status == 201 then
    local id = body:match('^{"id": (%d+), "code"')
    if id then  -- a new draft
      local citizen = by_number[body:match('"id_number": "([^"]*)"') or ""]
      if citizen then
        created = created + 1
        owner[id] = citizen
        table.insert(queue, {kind = "upload", id = id, citizen = citizen})
        return
      end
    end
    id = body:match('"name": "d(%d+)%.pdf"')
    if id and owner[id] then  -- the document is attached
      uploaded = uploaded + 1
      table.insert(queue, {kind = "submit", id = id, citizen = owner[id]})
      return
    end
  elseif status == 200 then
    local id = body:match('^{"id": (%d+), "code"')
    if id and owner[id] and body:find('"is_draft": false', 1, true) then
      submitted = submitted + 1
      owner[id] = nil
      return
    end
  end
  failed = failed + 1
end

function done(summary, latency, requests)
  local c, u, s, f = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    c, u, s, f = c + t:get("created"), u + t:get("uploaded"), s + t:get("submitted"), f + t:get("failed")
  end
  io.write(string.format('BENCH_DOSSIERS {"created": %d, "uploaded": %d, "submitted": %d, "unexpected": %d}\n',
    c, u, s, f))
  report(summary, latency, requests)
end
