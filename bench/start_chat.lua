-- bench/start_chat.lua - wrk script: POST /api/startChatContact ("start or resume a chat").
--
-- Tokens come from the file named by the environment variable TOKENS, one a
-- line. With one line every request carries the same token: the same user
-- resumes the same chat, as a signed-in customer does on every page load.
-- With many lines each wrk thread cycles through its own equal slice of them
-- (thread i of WRK_THREADS, default 2), so two threads never send the same
-- token and, with a file of never-repeated tokens, no token is sent twice
-- until a slice runs out. OFFSET (a fraction, default 0) starts each thread
-- that far into its slice, so a second run can use tokens the first did not.
-- API_PATH overrides the path.
local tokens = {}
local first, last, pos = 1, 1, 1
local path = os.getenv("API_PATH") or "/api/startChatContact"
local body = '{"ParticipantDetails":{"DisplayName":"Bench"},"Attributes":{"page":"/pricing"}}'
local threads = {}
local fixed = nil

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

local function headers(token)
  return {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }
end

function init(args)
  local name = assert(os.getenv("TOKENS"), "TOKENS is not set")
  local f = assert(io.open(name, "r"))
  for line in f:lines() do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  f:close()
  assert(#tokens > 0, "no tokens in " .. name)
  if #tokens == 1 then
    fixed = wrk.format("POST", path, headers(tokens[1]), body) -- formatted once
    return
  end
  local n = tonumber(os.getenv("WRK_THREADS") or "2")
  local per = math.floor(#tokens / n)
  first = (id or 0) * per + 1
  last = first + per - 1
  pos = first + math.floor(tonumber(os.getenv("OFFSET") or "0") * per) % per
end

function request()
  if fixed then return fixed end
  local t = tokens[pos]
  pos = pos + 1
  if pos > last then pos = first end
  return wrk.format("POST", path, headers(t), body)
end
