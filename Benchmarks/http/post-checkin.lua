-- wrk script: POST /weight/checkin as logged-in visitors, with the same JSON body as the PHP
-- anchor's post-weight.lua. $COOKIES names a file of "sluice_session=..." lines (one visitor
-- each, written by http-load.sh); requests cycle through them, each thread from its own offset.
-- usage: COOKIES=cookies.txt wrk -t2 -c32 -d10s --latency -s post-checkin.lua http://127.0.0.1:PORT
local cookies = {}
for line in io.lines(os.getenv("COOKIES") or error("COOKIES is not set")) do
  if line ~= "" then cookies[#cookies + 1] = line end
end
assert(#cookies > 0, "no cookies in $COOKIES")
local body = '{"weight":182,"unit":"lbs","notes":"ok"}'
local n = 0

local threads = 0
function setup(thread)  -- main Lua state, once per wrk thread
  threads = threads + 1
  thread:set("first", threads * 7919)
end

function init(args)  -- each thread's own Lua state
  n = first or 0
end

request = function()
  n = n + 1
  return wrk.format("POST", "/weight/checkin", {
    ["Content-Type"] = "application/json",
    ["Cookie"] = cookies[n % #cookies + 1],
  }, body)
end
