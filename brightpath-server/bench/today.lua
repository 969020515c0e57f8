-- GET a family's day, round-robin over every family.
package.path = os.getenv("BP_BENCH") .. "/?.lua;" .. package.path
local c = require("common")
local rows = c.lines(os.getenv("BP_DATA") .. "/families.txt")
local i = math.random(#rows)
request = function()
  i = i % #rows + 1
  return wrk.format("GET", "/api/v1/families/" .. rows[i][1] .. "/today?date=2026-12-01", c.auth)
end
