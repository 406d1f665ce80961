-- wrk script: GET /dashboard as logged-in visitors (the page reads two CRM fields for the customer
-- and renders a template: the counterpart of the PHP anchor's get-weight.lua). $COOKIES names a
-- file of "sluice_session=..." lines (written by http-load.sh); requests cycle through them.
-- usage: COOKIES=cookies.txt wrk -t2 -c32 -d10s --latency -s get-dashboard.lua http://127.0.0.1:PORT
local cookies = {}
for line in io.lines(os.getenv("COOKIES") or error("COOKIES is not set")) do
  if line ~= "" then cookies[#cookies + 1] = line end
end
assert(#cookies > 0, "no cookies in $COOKIES")
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
  return wrk.format("GET", "/dashboard", { ["Cookie"] = cookies[n % #cookies + 1] })
end
