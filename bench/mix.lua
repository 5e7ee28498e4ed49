-- wrk script of bench/load.py: signed-in users browsing the eight-page mix.
--
-- WRK_PATHS    the pages, separated by spaces, asked in turn
-- WRK_COOKIES  session cookies ("sessionid=…"), separated by spaces; each connection's
--              requests take them in turn, so every user browses every page
-- WRK_THINK_MS a user's mean reading time before the next page (0: none); each pause is
--              drawn between half and one and a half times it. wrk's latencies leave it out.
-- Any answer but 200 (a redirect to the sign-in page included) counts as an error.
-- done() prints one line "RESULT {json}" with the figures bench/load.py reads.

local function split(text)
  local items = {}
  for item in string.gmatch(text or "", "%S+") do
    items[#items + 1] = item
  end
  return items
end

local paths = split(os.getenv("WRK_PATHS"))
local cookies = split(os.getenv("WRK_COOKIES"))
local think = tonumber(os.getenv("WRK_THINK_MS") or "0") or 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() + (id or 0))
  counter = id or 0
  errors = 0
  statuses = {}
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  local cookie = cookies[(math.floor(counter / #paths) % #cookies) + 1]
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end

function delay()
  if think <= 0 then
    return 0
  end
  return math.floor(think * (0.5 + math.random()))
end

function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  local codes = {}
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("errors")
    local per = thread:get("statuses")
    for status, count in pairs(per) do
      codes[#codes + 1] = string.format('"%d": %d', status, count)
    end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.2f, "rps": %.1f, "p50_ms": %.1f, ' ..
    '"p95_ms": %.1f, "p99_ms": %.1f, "max_ms": %.1f, "errors": %d, ' ..
    '"socket_errors": %d, "timeouts": %d, "statuses": {%s}}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, failed,
    summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.timeout, table.concat(codes, ", ")))
end
