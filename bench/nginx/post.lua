-- wrk script: POST a non-stream chat completion. bench/run.py passes the key and model via
-- the environment (BENCH_KEY, BENCH_MODEL) and the path is the URL's.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_KEY") or "sk-none")
wrk.body = '{"model":"' .. (os.getenv("BENCH_MODEL") or "gpt-4o-mini")
  .. '","messages":[{"role":"user","content":"hi"}],"max_tokens":16}'
