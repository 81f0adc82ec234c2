-- collect-vote.lua: wrk script for bench/collectors.py: every request a JSON
-- vote from a new reader (so none replaces another), then one summary line:
--   WRK <requests> <non-2xx or socket errors> <p50 ms> <p99 ms> <seconds>
local threads = {}
local counter = 0

function setup(thread)
	thread:set("id", #threads + 1)
	table.insert(threads, thread)
end

function init(args)
	prefix = (args[1] or "w") .. "-" .. id .. "-"
end

function request()
	counter = counter + 1
	local body = '{"article":"virtualisation/lxc","lang":"fr","vote":"' ..
		(counter % 3 == 0 and "no" or "yes") .. '","client":"' .. prefix .. counter .. '"}'
	return wrk.format("POST", "/api/feedback", { ["Content-Type"] = "application/json" }, body)
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("WRK %d %d %.3f %.3f %.3f\n", summary.requests,
		e.status + e.connect + e.read + e.write + e.timeout,
		latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.duration / 1e6))
end
