-- wrk script: POST one valid complaint per request (no mediation, referral consent: the whole pipeline runs)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"institution_type":"bank","issue":"account_refused_or_closed","capacity":"private",' ..
  '"municipality":"GM0363","description":"My bank closed my account without a reason.",' ..
  '"wants_mediation":false,"consent":{"referral":true,"share_description":false,"contact":false}}'

done = function(summary, latency, requests)
  local codes = 0
  io.write(string.format("JSON {\"requests\": %d, \"duration_us\": %d, \"errors_status\": %d, " ..
    "\"errors_connect\": %d, \"errors_timeout\": %d, \"p50_ms\": %.2f, \"p99_ms\": %.2f}\n",
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
