-- zoho.lua — the Zoho Consulting Partner Program's rules written by hand in
-- Lua, for the benchmark: run with lua5.4 and with luajit.
--
--   lua5.4 bench/zoho.lua partners.csv > scores.csv
--
-- Same rules, same exact arithmetic and same output as bench/zoho.c
-- (id,score,tier).  Amounts are integer millionths; LuaJIT's numbers are
-- doubles, exact for integers below 2^53, which is why bench/gen.c keeps
-- amounts under $5,000,000 (400 * $5,000,000 in millionths is 2e15).  Only
-- one division rounds, half to even, done with an exact remainder.
--
-- Written to be fast in plain Lua: one pattern match per record where it
-- can, no closures in the loop, output through stdio's buffer.  Quoted cells are handled (names hold commas and quotes), but
-- only within one line: the generator writes no line breaks in cells.

local floor, tonumber, byte, find, sub, format = math.floor, tonumber, string.byte,
  string.find, string.sub, string.format
local M = 1000000

-- A plain decimal as integer millionths, or nil.  Byte by byte: LuaJIT
-- compiles string.byte, not string.match.
local scale = { 100000, 10000, 1000, 100, 10, 1 }
local function decimal(s)
  local n, i, neg, v, digits = #s, 1, false, 0, 0
  if byte(s, 1) == 45 then neg = true; i = 2 end
  while i <= n do
    local c = byte(s, i)
    if c < 48 or c > 57 then break end
    v = v * 10 + (c - 48); digits = digits + 1; i = i + 1
  end
  if digits == 0 then return nil end
  v = v * M
  if i <= n then
    if byte(s, i) ~= 46 or i == n or n - i > 6 then return nil end
    for k = 1, n - i do
      local c = byte(s, i + k)
      if c < 48 or c > 57 then return nil end
      v = v + (c - 48) * scale[k]
    end
  end
  if neg then v = -v end
  return v
end

local yes = { ["1"] = true, ["true"] = true, ["yes"] = true }
local no = { ["0"] = true, ["false"] = true, ["no"] = true }
local function flag(s)
  if yes[s] then return true end
  if no[s] then return false end
  s = s:lower()
  if yes[s] then return true end
  if no[s] then return false end
  return nil
end

local mdays = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
local function days_in(y, m)
  if m == 2 and ((y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0) then return 29 end
  return mdays[m]
end

-- YYYY-MM-DD: year, month, day, or nil.
local function digit(s, i)
  local c = byte(s, i)
  if c < 48 or c > 57 then return nil end
  return c - 48
end
local function date(s)
  if #s ~= 10 or byte(s, 5) ~= 45 or byte(s, 8) ~= 45 then return nil end
  local a, b, c, d = digit(s, 1), digit(s, 2), digit(s, 3), digit(s, 4)
  local e, f, g, h = digit(s, 6), digit(s, 7), digit(s, 9), digit(s, 10)
  if not (a and b and c and d and e and f and g and h) then return nil end
  local y, m, dd = a * 1000 + b * 100 + c * 10 + d, e * 10 + f, g * 10 + h
  if m < 1 or m > 12 or dd < 1 or dd > days_in(y, m) then return nil end
  return y, m, dd
end

-- One line's cells, RFC 4180 quoting within the line.
local function split(line, cells)
  local n, pos, len = 0, 1, #line
  if not find(line, '"', 1, true) then
    while true do
      local comma = find(line, ",", pos, true)
      n = n + 1
      if not comma then cells[n] = sub(line, pos); break end
      cells[n] = sub(line, pos, comma - 1)
      pos = comma + 1
    end
    return n
  end
  while pos <= len + 1 do
    n = n + 1
    if byte(line, pos) == 34 then -- a quoted cell
      local buf, i = {}, pos + 1
      while true do
        local q = find(line, '"', i, true)
        if not q then return nil end
        buf[#buf + 1] = sub(line, i, q - 1)
        if byte(line, q + 1) == 34 then buf[#buf + 1] = '"'; i = q + 2
        else pos = q + 1; break end
      end
      cells[n] = table.concat(buf)
      local c = byte(line, pos)
      if c == nil then return n end
      if c ~= 44 then return nil end
      pos = pos + 1
    else
      local comma = find(line, ",", pos, true)
      if not comma then cells[n] = sub(line, pos); return n end
      cells[n] = sub(line, pos, comma - 1)
      pos = comma + 1
    end
  end
  return n
end

local digits = {}
for i = 0, 9 do digits[i] = string.char(48 + i) end
-- Millionths as rubric writes them: trailing fractional zeros trimmed.
local function fmt(v)
  local neg = v < 0
  if neg then v = -v end
  local ip = floor(v / M)
  local frac = v - ip * M
  local s = tostring(ip)
  if frac ~= 0 then
    local places = 6
    while frac % 10 == 0 do frac = frac / 10; places = places - 1 end
    local t = ""
    for _ = 1, places do t = digits[frac % 10] .. t; frac = floor(frac / 10) end
    s = s .. "." .. t
  end
  if neg then s = "-" .. s end
  return s
end

local function clamp(v, lo, hi)
  if v < lo then return lo elseif v > hi then return hi end
  return v
end

local want = { "id", "region_class", "revenue_prev", "revenue", "new_customers", "good_ratings",
  "escalations", "certifications", "projects", "case_studies", "practice_staff",
  "retention_pct", "leadgen_event", "branded_event", "required_certs", "branding",
  "onboarded", "first_go_live" }

local path = arg[1]
local input = path and assert(io.open(path, "rb")) or io.stdin
local lines = input:lines()
local cells, col = {}, {}
local header = lines()
local nh = split(header:gsub("\r$", ""), cells)
for _, name in ipairs(want) do
  for c = 1, nh do if cells[c] == name then col[name] = c end end
  if not col[name] then io.stderr:write("zoho.lua: no column " .. name .. "\n"); os.exit(2) end
end
local cID, cRC, cPREV, cREV, cNC, cGR, cESC, cCERT, cPROJ, cCASE, cSTAFF, cPCT, cLEAD, cBRANDED,
  cREQ, cBRAND, cON, cLIVE = col.id, col.region_class, col.revenue_prev, col.revenue,
  col.new_customers, col.good_ratings, col.escalations, col.certifications, col.projects,
  col.case_studies, col.practice_staff, col.retention_pct, col.leadgen_event, col.branded_event,
  col.required_certs, col.branding, col.onboarded, col.first_go_live

local write, bad, lineno = io.write, 0, 1
io.stdout:setvbuf("full", 65536)
write("id,score,tier\n")
local function whole(s)
  local v = decimal(s)
  if not v or v % M ~= 0 or v < 0 then return nil end
  return v / M
end

for line in lines do
  lineno = lineno + 1
  if byte(line, #line) == 13 then line = sub(line, 1, -2) end
  local n = split(line, cells)
  local ok = n == nh
  local prev, rev, nc, gr, esc, certs, proj, cases, staff, pct, lead, branded, req, brand
  local oy, om, od, gy, gm, gd
  local rc = ok and cells[cRC]
  if ok then
    prev, rev, pct, brand = decimal(cells[cPREV]), decimal(cells[cREV]), decimal(cells[cPCT]),
      decimal(cells[cBRAND])
    nc, gr, esc, certs = whole(cells[cNC]), whole(cells[cGR]), whole(cells[cESC]), whole(cells[cCERT])
    proj, cases, staff = whole(cells[cPROJ]), whole(cells[cCASE]), whole(cells[cSTAFF])
    lead, branded, req = flag(cells[cLEAD]), flag(cells[cBRANDED]), flag(cells[cREQ])
    oy, om, od = date(cells[cON])
    local live = cells[cLIVE]
    if live ~= "" then
      gy, gm, gd = date(live)
      ok = gy ~= nil
    end
    ok = ok and cells[cID] ~= "" and (rc == "developed" or rc == "developing") and prev and rev
      and pct and brand and brand >= 0 and brand <= 50 * M and nc and gr and esc and certs and proj
      and cases and staff and lead ~= nil and branded ~= nil and req ~= nil and oy ~= nil
  end
  if not ok then
    io.stderr:write(format("zoho.lua: line %d: bad record\n", lineno))
    bad = bad + 1
  else
    local growth = 0
    if rev > 5000 * M then
      -- (rev - prev) * 400 / benchmark, in millionths: num / B, half to even
      local B = rc == "developed" and 200000 or 150000
      local num = (rev - prev) * 400
      local q = floor(num / B)
      local r = num - q * B
      if r < 0 then q = q - 1; r = r + B elseif r >= B then q = q + 1; r = r - B end
      if 2 * r > B or (2 * r == B and q % 2 == 1) then q = q + 1 end
      growth = clamp(q, 0, 400 * M)
    end
    local acquisition = 0
    if nc > 10 then acquisition = clamp(floor(nc / 10) * 10, 0, 100) * M end
    local retention
    if pct <= 25 * M then retention = 0
    elseif pct <= 50 * M then retention = 25 * M
    elseif pct <= 75 * M then retention = 50 * M
    else retention = clamp(pct, 0, 100 * M) end
    local csat = clamp(5 * gr, 0, 100) * M
    local escal = 0
    if esc >= 2 then escal = clamp(-10 * esc, -100, 0) * M end
    local cert = 0
    if certs >= 3 then cert = clamp(5 * certs, 0, 100) * M end
    local projects, studies = clamp(10 * proj, 0, 50) * M, clamp(10 * cases, 0, 50) * M
    local practice
    if staff <= 2 then practice = 0 elseif staff <= 5 then practice = 5 * M
    elseif staff <= 10 then practice = 10 * M elseif staff <= 25 then practice = 20 * M
    else practice = 25 * M end
    local campaigns = (lead and 10 * M or 0) + (branded and 15 * M or 0)
    local score = growth + acquisition + retention + csat + escal + cert + projects + studies
      + practice + campaigns + brand
    local in_time = false
    if gy then
      local y, m = oy + floor((om - 1 + 6) / 12), (om - 1 + 6) % 12 + 1
      local d = od
      if d > days_in(y, m) then d = days_in(y, m) end
      in_time = gy * 10000 + gm * 100 + gd <= y * 10000 + m * 100 + d
    end
    local tier = "new"
    if rev > 5000 * M and req and in_time then
      if score > 600 * M then tier = "premium"
      elseif score > 400 * M then tier = "advanced"
      else tier = "authorized" end
    end
    write(cells[cID], ",", fmt(score), ",", tier, "\n")
  end
end
if bad > 0 then io.stderr:write(format("zoho.lua: %d bad records\n", bad)); os.exit(1) end
