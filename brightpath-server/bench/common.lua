-- Shared by the wrk scripts: read a file of lines, split on spaces.
local M = {}
function M.lines(path)
  local out = {}
  for line in io.lines(path) do
    local row = {}
    for w in line:gmatch("%S+") do row[#row + 1] = w end
    out[#out + 1] = row
  end
  return out
end
M.auth = { ["Authorization"] = "Bearer " .. os.getenv("BP_TOKEN") }
return M
