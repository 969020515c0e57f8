-- GET a family's week with the ETag it has: answered 304 from the versions alone.
package.path = os.getenv("BP_BENCH") .. "/?.lua;" .. package.path
local c = require("common")
local rows = c.lines(os.getenv("BP_DATA") .. "/etags.txt")
local i = math.random(#rows)
request = function()
  i = i % #rows + 1
  local h = { ["Authorization"] = c.auth["Authorization"], ["If-None-Match"] = rows[i][2] }
  return wrk.format("GET", "/api/v1/families/" .. rows[i][1] .. "/week?date=2026-11-30", h)
end
