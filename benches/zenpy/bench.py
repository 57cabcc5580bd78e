"""zenpy (and toolwire's REST server) side of the peer benchmark: the same three calls as
`--bin peer_calls` (get ticket, search, add internal note), one at a time, against a
`toolwire sim` in another process. Prints one RESULT line per operation:
calls/s, CPU per call and latency percentiles.

  client=zenpy: zenpy.Zenpy(subdomain, domain="zendesk.com:PORT", email, token,
      disable_cache=True); `*.zendesk.com` resolves to 127.0.0.1 inside this process (a
      getaddrinfo override: the same thing toolwire's resolve_suffix does), TLS verified
      against the sim's CA (REQUESTS_CA_BUNDLE). CPU = time.process_time() of this process.
  client=rest: POST /v1/execute_tool to a running `toolwire serve` with requests; CPU = the
      server process's utime+stime from /proc/PID/stat (10 ms ticks) per call.
"""

import argparse
import socket
import statistics
import time

_real_getaddrinfo = socket.getaddrinfo


def _getaddrinfo(host, *args, **kwargs):
    if isinstance(host, str) and (host == "zendesk.com" or host.endswith(".zendesk.com")):
        host = "127.0.0.1"
    return _real_getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _getaddrinfo


def proc_cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return (int(rest[11]) + int(rest[12])) / 100.0


def measure(label, client, fn, calls, warmup, cpu_clock):
    for _ in range(warmup):
        fn()
    lat = []
    cpu0, wall0 = cpu_clock(), time.perf_counter()
    for _ in range(calls):
        t = time.perf_counter()
        fn()
        lat.append(time.perf_counter() - t)
    wall, cpu = time.perf_counter() - wall0, cpu_clock() - cpu0
    lat.sort()
    p99 = lat[max(0, -(-len(lat) * 99 // 100) - 1)]
    print(
        f"RESULT client={client} op={label} calls={calls} calls_per_s={calls / wall:.0f} "
        f"cpu_us_per_call={cpu * 1e6 / calls:.1f} p50_us={statistics.median(lat) * 1e6:.0f} "
        f"p99_us={p99 * 1e6:.0f}",
        flush=True,
    )


def zenpy_ops(args):
    from zenpy import Zenpy
    from zenpy.lib.api_objects import Comment, Ticket

    z = Zenpy(
        subdomain=args.sub,
        domain=f"zendesk.com:{args.sim_port}",
        email=args.email,
        token=args.token,
        disable_cache=True,
    )
    ticket = args.ticket

    def get_ticket():
        t = z.tickets(id=ticket)
        assert t.id == ticket
        return t

    def search():
        # One page (the sim's default page size, as the toolwire tool), objects built.
        results = list(z.search("status:open", type="ticket"))
        assert results
        return results

    def add_note():
        # One PUT, as zendesk_ticket_reply does (no read first).
        t = Ticket(id=ticket)
        t.comment = Comment(body="internal note from the benchmark", public=False)
        audit = z.tickets.update(t)
        assert audit.ticket.id == ticket
        return audit

    return [("get_ticket", get_ticket), ("search", search), ("add_note", add_note)]


def rest_ops(args):
    import requests

    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {args.api_key}"
    url = f"{args.server}/v1/execute_tool"

    def call(tool, tool_input):
        def f():
            r = s.post(url, json={"identifier": args.identifier, "tool_name": tool, "tool_input": tool_input})
            assert r.status_code == 200, r.text
            return r.json()

        return f

    t = args.ticket
    return [
        ("get_ticket", call("zendesk_ticket_get", {"ticket_id": t})),
        ("search", call("zendesk_search_tickets", {"query": "status:open"})),
        ("add_note", call("zendesk_ticket_reply", {"ticket_id": t, "body": "internal note from the benchmark", "public": False})),
    ]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--client", choices=["zenpy", "rest"], default="zenpy")
    p.add_argument("--sim-port", type=int, default=18443)
    p.add_argument("--sub", default="acme")
    p.add_argument("--email", default="")
    p.add_argument("--token", default="")
    p.add_argument("--ticket", type=int, default=1)
    p.add_argument("--calls", type=int, default=1000)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--server", default="http://127.0.0.1:18080")
    p.add_argument("--api-key", default="")
    p.add_argument("--identifier", default="bench_user")
    p.add_argument("--server-pid", type=int, default=0)
    args = p.parse_args()
    if args.client == "zenpy":
        ops, clock = zenpy_ops(args), time.process_time
    else:
        ops, clock = rest_ops(args), (lambda: proc_cpu_s(args.server_pid))
    for label, fn in ops:
        measure(label, args.client, fn, args.calls, args.warmup, clock)


if __name__ == "__main__":
    main()
