-- wrk script: POST the real sign form, each request with a new email address.
-- BENCH_COOKIE and BENCH_CSRF come from a GET of the petition page (one session).
local counter = 0
local thread_no = 0
local threads = {}

function setup(thread)
  thread_no = thread_no + 1
  thread:set("tid", thread_no)
end

function init(args)
  path = os.getenv("BENCH_PATH")
  token = os.getenv("BENCH_CSRF")
  cookie = os.getenv("BENCH_COOKIE")
  run = os.getenv("BENCH_RUN")
  addresses = {}
  for a in string.gmatch(os.getenv("BENCH_ADDRESSES") or "1958+N+Milwaukee+Ave", "[^|]+") do
    table.insert(addresses, a)
  end
end

function request()
  counter = counter + 1
  local address = addresses[(counter % #addresses) + 1]
  local body = "csrf_token=" .. (token or "") ..
    "&first_name=Bench&last_name=Signer&email=b" .. run .. "-" .. tid .. "-" .. counter ..
    "%40example.org&address=" .. address .. "&zip=60647&opt_in=y"
  local headers = {}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  if cookie then headers["Cookie"] = cookie end
  return wrk.format("POST", path, headers, body)
end
