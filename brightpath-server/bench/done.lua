-- POST done for planned sessions, each once (family, session, version per line);
-- each wrk thread (wrk -t2) takes every other line.
package.path = os.getenv("BP_BENCH") .. "/?.lua;" .. package.path
local c = require("common")
local rows = c.lines(os.getenv("BP_DATA") .. "/sessions.txt")
local counter = 0
setup = function(thread)
  thread:set("tid", counter)
  counter = counter + 1
end
local i = nil
request = function()
  if i == nil then i = tid or 0 end
  local r = rows[(i % #rows) + 1]
  i = i + 2
  local h = {
    ["Authorization"] = c.auth["Authorization"],
    ["If-Match"] = '"' .. r[3] .. '"',
    ["Content-Type"] = "application/json",
  }
  return wrk.format("POST", "/api/v1/families/" .. r[1] .. "/sessions/" .. r[2] .. "/done", h, "{}")
end
