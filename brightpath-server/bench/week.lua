-- GET a family's week, round-robin over every family.
package.path = os.getenv("BP_BENCH") .. "/?.lua;" .. package.path
local c = require("common")
local rows = c.lines(os.getenv("BP_DATA") .. "/families.txt")
local i = math.random(#rows)
request = function()
  i = i % #rows + 1
  return wrk.format("GET", "/api/v1/families/" .. rows[i][1] .. "/week?date=2026-11-30", c.auth)
end
