-- A canned OpenAI chat completion (JSON or an SSE stream of N chunks), like
-- newapi.testing.fake_upstream. The scenario rides in the request body as `#fake:k=v,k=v`
-- (keys: chunks, chunk_delay_ms, first_token_delay_ms) or in a `/s/<directives>/` path prefix.

local WORDS = {"lorem ", "ipsum ", "dolor ", "sit ", "amet "}
local COMPLETION = '{"id":"chatcmpl-nginx","object":"chat.completion","created":1700000000,'
  .. '"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant",'
  .. '"refusal":null,"annotations":[],"content":"echo: hi"},"logprobs":null,'
  .. '"finish_reason":"stop"}],"service_tier":"default","system_fingerprint":"fp_fake",'
  .. '"usage":{"prompt_tokens":8,"completion_tokens":2,"total_tokens":10}}'
local HEAD = 'data: {"id":"chatcmpl-nginx","object":"chat.completion.chunk","created":1700000000,'
  .. '"model":"gpt-4o-mini","system_fingerprint":"fp_fake","choices":[{"index":0,'
local FIRST = HEAD .. '"delta":{"role":"assistant","content":"","refusal":null},'
  .. '"logprobs":null,"finish_reason":null}],"usage":null}\n\n'
local LAST = HEAD .. '"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n'
local piece = {}
for i, w in ipairs(WORDS) do
  piece[i] = HEAD .. '"delta":{"content":"' .. w .. '"},"logprobs":null,'
    .. '"finish_reason":null}],"usage":null}\n\n'
end

local function usage_event(n)
  return 'data: {"id":"chatcmpl-nginx","object":"chat.completion.chunk","created":1700000000,'
    .. '"model":"gpt-4o-mini","system_fingerprint":"fp_fake","choices":[],'
    .. '"usage":{"prompt_tokens":8,"completion_tokens":' .. n .. ',"total_tokens":'
    .. (n + 8) .. '}}\n\ndata: [DONE]\n\n'
end

local function directives(text, into)
  if not text then return end
  for k, v in string.gmatch(text, "([%a_]+)=(%d+)") do into[k] = tonumber(v) end
end

local canned_streams = {}  -- chunks -> the whole body, for streams without delays

function upstream_handler()
  ngx.req.read_body()
  local body = ngx.req.get_body_data() or ""
  local opts = {}
  directives(string.match(ngx.var.uri, "^/s/([^/]+)/"), opts)
  directives(string.match(body, "#fake:([^%s\"\\]+)"), opts)
  if not string.find(body, '"stream"%s*:%s*true') then
    ngx.header["Content-Type"] = "application/json"
    ngx.print(COMPLETION)
    return
  end
  local n = opts.chunks or 20
  local gap = (opts.chunk_delay_ms or 0) / 1000
  local first = (opts.first_token_delay_ms or 0) / 1000
  ngx.header["Content-Type"] = "text/event-stream; charset=utf-8"
  ngx.header["Cache-Control"] = "no-cache"
  if gap == 0 and first == 0 then
    local whole = canned_streams[n]
    if not whole then
      local parts = {FIRST}
      for i = 1, n do parts[#parts + 1] = piece[(i - 1) % #WORDS + 1] end
      parts[#parts + 1] = LAST
      parts[#parts + 1] = usage_event(n)
      whole = table.concat(parts)
      canned_streams[n] = whole
    end
    ngx.print(whole)
    return
  end
  ngx.print(FIRST)
  ngx.flush(true)
  if first > 0 then ngx.sleep(first) end
  for i = 1, n do
    if i > 1 and gap > 0 then ngx.sleep(gap) end
    ngx.print(piece[(i - 1) % #WORDS + 1])
    ngx.flush(true)
  end
  ngx.print(LAST .. usage_event(n))
end
