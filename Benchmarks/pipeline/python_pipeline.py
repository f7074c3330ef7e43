"""The pipeline a user would otherwise write in Python with pyzmq: the comparison point of
scripts/bench-pipeline. Same shape and wire format as HedgeBus (docs/PROTOCOL.md), none of its
durability, retries, tracing or concurrency.

    python3 python_pipeline.py ROLE CONFIG.json      ROLE: bus director analyst risk execution market

One process per role:
  bus        XSUB (publish endpoint) / XPUB (subscribe endpoint) proxy
  market     REP: inventory.get, order.submit (fills at once at the simulated touch, publishes
             fill.<symbol> and inventory.<symbol>); publishes market.<symbol> every tick
  analyst    REP: analyze, from the market ticks it subscribes to (EMAs and momentum)
  risk       REP: assess, asking the market for the account's inventory with its own REQ
  execution  REP: execute, sending order.submit to the market with its own REQ
  director   subscribes to signal.*, and for each signal in turn: analyze → assess → execute,
             then publishes decision.<symbol>; heartbeat.trading-director every 500 ms

CONFIG: {"bus": {"publish", "subscribe"}, "endpoints": {"analyst", "risk", "execution", "market"},
         "symbols": [{"symbol", "price"}], "quote_balance", "tick_ms", "step_timeout_ms"}
"""
import json
import math
import random
import secrets
import sys
import time
from collections import deque

import zmq

ACCOUNT = "desk"
FEE_BPS = 10
SPREAD_BPS = 2
MAX_POSITION_PCT = 1e-6
HEARTBEAT_S = 0.5


def envelope(kind, payload, source, trace_id=None, parent_id=None):
    return {"v": 1, "id": secrets.token_hex(8), "type": kind, "trace_id": trace_id or secrets.token_hex(16),
            "parent_id": parent_id, "source": source, "ts": time.time_ns() // 1000, "payload": payload}


def reply_to(request, payload, source):
    return envelope(request["type"] + ".ok", payload, source, request["trace_id"], request["id"])


def publish(pub, topic, message):
    pub.send_multipart([topic.encode(), json.dumps(message).encode()])


def socket(context, kind, connect=None, bind=None):
    s = context.socket(kind)
    s.setsockopt(zmq.LINGER, 0)
    if kind in (zmq.SUB, zmq.XSUB, zmq.XPUB, zmq.PUB):
        s.setsockopt(zmq.SNDHWM, 0)
        s.setsockopt(zmq.RCVHWM, 0)
    if bind:
        s.bind(bind)
    if connect:
        s.connect(connect)
    return s


def serve(context, config, name, handle, on_idle=None, idle_s=None, extra=None):
    """A REP server: answers each request with handle(request); calls on_idle every idle_s, and
    feeds each message of the `extra` socket to its handler."""
    rep = socket(context, zmq.REP, bind=config["endpoints"][name])
    poller = zmq.Poller()
    poller.register(rep, zmq.POLLIN)
    if extra:
        poller.register(extra[0], zmq.POLLIN)
    next_idle = time.monotonic() + (idle_s or 0)
    while True:
        timeout = max(0, next_idle - time.monotonic()) * 1000 if on_idle else None
        ready = dict(poller.poll(timeout))
        if rep in ready:
            request = json.loads(rep.recv())
            rep.send(json.dumps(handle(request)).encode())
        if extra and extra[0] in ready:
            extra[1](extra[0].recv_multipart())
        if on_idle and time.monotonic() >= next_idle:
            on_idle()
            next_idle += idle_s


class Requester:
    """One REQ socket to a server; a timed-out socket is replaced (a REQ cannot send twice)."""

    def __init__(self, context, endpoint, timeout_ms):
        self.context, self.endpoint, self.timeout_ms = context, endpoint, timeout_ms
        self.req = socket(context, zmq.REQ, connect=endpoint)

    def ask(self, message):
        self.req.send(json.dumps(message).encode())
        if not self.req.poll(self.timeout_ms):
            self.req.close()
            self.req = socket(self.context, zmq.REQ, connect=self.endpoint)
            raise TimeoutError(f"{message['type']}: no reply from {self.endpoint} in {self.timeout_ms} ms")
        reply = json.loads(self.req.recv())
        if reply["type"] == "error":
            raise RuntimeError(f"{message['type']}: {reply['payload'].get('message')}")
        return reply


def run_bus(context, config):
    xsub = socket(context, zmq.XSUB, bind=config["bus"]["publish"])
    xpub = socket(context, zmq.XPUB, bind=config["bus"]["subscribe"])
    zmq.proxy(xsub, xpub)


def run_market(context, config):
    name = "market-maker"
    pub = socket(context, zmq.PUB, connect=config["bus"]["publish"])
    rng = random.Random(42)
    prices = {s["symbol"]: float(s["price"]) for s in config["symbols"]}
    books = {symbol: {"base": 0.0, "quote": float(config["quote_balance"]), "fees": 0.0} for symbol in prices}
    orders = {"count": 0}

    def touch(symbol):
        half = prices[symbol] * SPREAD_BPS / 20_000
        return prices[symbol] - half, prices[symbol] + half

    def row(symbol):
        book = books[symbol]
        return {"account": ACCOUNT, "symbol": symbol, "base": book["base"], "quote": book["quote"],
                "fees": book["fees"], "mark": prices[symbol]}

    def submit(request):
        order = request["payload"]
        symbol, side, qty = order["symbol"], order["side"], float(order["qty"])
        orders["count"] += 1
        report = {"order_id": f"o-{orders['count']}", "client_order_id": order["client_order_id"], "account": ACCOUNT,
                  "symbol": symbol, "side": side, "type": "market", "qty": qty}
        if symbol not in books or qty <= 0:
            return {**report, "status": "rejected", "filled_qty": 0, "avg_price": None, "fills": [],
                    "reason": f"cannot fill {qty} {symbol}", "reason_code": "unknown_symbol"}
        bid, ask = touch(symbol)
        price = ask if side == "buy" else bid
        fee = price * qty * FEE_BPS / 10_000
        book = books[symbol]
        book["base"] += qty if side == "buy" else -qty
        book["quote"] += (-price * qty if side == "buy" else price * qty) - fee
        book["fees"] += fee
        fill = {"order_id": report["order_id"], "client_order_id": report["client_order_id"], "account": ACCOUNT,
                "symbol": symbol, "side": side, "price": price, "qty": qty, "fee": fee}
        publish(pub, f"fill.{symbol}", envelope("fill", fill, name, request["trace_id"], request["id"]))
        publish(pub, f"inventory.{symbol}",
                envelope("inventory", {"positions": [row(symbol)]}, name, request["trace_id"], request["id"]))
        return {**report, "status": "filled", "filled_qty": qty, "avg_price": price, "fills": [fill]}

    def handle(request):
        if request["type"] == "order.submit":
            return reply_to(request, submit(request), name)
        if request["type"] == "inventory.get":
            symbol = request["payload"].get("symbol")
            return reply_to(request, {"positions": [row(s) for s in books if symbol in (None, s)]}, name)
        return envelope("error", {"code": "unknown_type", "message": request["type"]}, name, request["trace_id"], request["id"])

    def tick():
        for symbol in prices:
            prices[symbol] *= math.exp(rng.gauss(0, 1e-4))
            bid, ask = touch(symbol)
            publish(pub, f"market.{symbol}",
                    envelope("market", {"symbol": symbol, "bid": bid, "ask": ask, "last": prices[symbol]}, name))

    serve(context, config, "market", handle, on_idle=tick, idle_s=config["tick_ms"] / 1000)


def run_analyst(context, config):
    name = "quant-analyst"
    pub = socket(context, zmq.PUB, connect=config["bus"]["publish"])
    sub = socket(context, zmq.SUB, connect=config["bus"]["subscribe"])
    sub.setsockopt(zmq.SUBSCRIBE, b"market.")
    history = {}

    def on_tick(frames):
        tick = json.loads(frames[1])["payload"]
        history.setdefault(tick["symbol"], deque(maxlen=500)).append(tick["last"])

    def ema(values, period):
        alpha, value = 2 / (period + 1), values[0]
        for x in values:
            value += alpha * (x - value)
        return value

    def handle(request):
        symbol = request["payload"]["symbol"]
        prices = list(history.get(symbol, ()))
        report = {"symbol": symbol, "direction": "flat", "confidence": 0.0, "sample_count": len(prices),
                  "last_price": prices[-1] if prices else None}
        if len(prices) >= 20:
            fast, slow = ema(prices, 5), ema(prices, 20)
            returns = [b / a - 1 for a, b in zip(prices, prices[1:])]
            mean = sum(returns) / len(returns)
            sd = math.sqrt(sum((r - mean) ** 2 for r in returns) / len(returns)) or 1e-12
            z = mean / sd * math.sqrt(len(returns))
            report.update(direction="long" if fast > slow else "short", confidence=min(1.0, abs(z) / 4),
                          fast_ema=fast, slow_ema=slow, momentum_z=z)
        publish(pub, f"analysis.{symbol}", envelope("analysis", report, name, request["trace_id"], request["id"]))
        return reply_to(request, report, name)

    serve(context, config, "analyst", handle, extra=(sub, on_tick))


def run_risk(context, config):
    name = "risk-manager"
    pub = socket(context, zmq.PUB, connect=config["bus"]["publish"])
    market = Requester(context, config["endpoints"]["market"], config["step_timeout_ms"])

    def handle(request):
        ask = request["payload"]
        symbol = ask["symbol"]
        inventory = market.ask(envelope("inventory.get", {"account": ask["account"]}, name,
                                        request["trace_id"], request["id"]))["payload"]["positions"]
        row = next((r for r in inventory if r["symbol"] == symbol), None)
        capital = sum(r["quote"] + r["base"] * r["mark"] for r in inventory)
        price = (ask.get("analysis") or {}).get("last_price") or (row or {}).get("mark")
        verdict = {"symbol": symbol, "side": ask["side"], "approved": False, "qty": 0, "price": price, "limit": None}
        if row is None or not price:
            verdict.update(reason=f"no price for {symbol}", limit="marketData")
        else:
            qty = round(capital * MAX_POSITION_PCT / price, 8)
            verdict.update(approved=True, qty=qty, notional=qty * price,
                           reason=f"{ask['side']} {qty} {symbol} at {price:.2f}, sized by maxPositionSizePct")
        publish(pub, f"risk.{symbol}", envelope("risk", verdict, name, request["trace_id"], request["id"]))
        return reply_to(request, verdict, name)

    serve(context, config, "risk", handle)


def run_execution(context, config):
    name = "execution-agent"
    pub = socket(context, zmq.PUB, connect=config["bus"]["publish"])
    market = Requester(context, config["endpoints"]["market"], config["step_timeout_ms"])

    def handle(request):
        order = request["payload"]["order"]
        report = market.ask(envelope("order.submit", order, name, request["trace_id"], request["id"]))["payload"]
        publish(pub, f"order.{order['symbol']}", envelope("order", report, name, request["trace_id"], request["id"]))
        return reply_to(request, report, name)

    serve(context, config, "execution", handle)


def run_director(context, config):
    name = "trading-director"
    timeout = config["step_timeout_ms"]
    pub = socket(context, zmq.PUB, connect=config["bus"]["publish"])
    sub = socket(context, zmq.SUB, connect=config["bus"]["subscribe"])
    sub.setsockopt(zmq.SUBSCRIBE, b"signal.")
    steps = {step: Requester(context, config["endpoints"][step], timeout) for step in ("analyst", "risk", "execution")}

    def cycle(signal):
        started = time.perf_counter()
        order = signal["payload"]
        decision = {"signal_id": signal["id"], "symbol": order["symbol"], "side": order["side"]}
        stage = "analyze"

        def ask(step, kind, payload):
            return steps[step].ask(envelope(kind, payload, name, signal["trace_id"], signal["id"]))["payload"]

        try:
            analysis = ask("analyst", "analyze", {"symbol": order["symbol"], "side": order["side"]})
            decision["analysis"] = analysis
            stage = "assess"
            verdict = ask("risk", "assess", {"symbol": order["symbol"], "side": order["side"], "account": ACCOUNT,
                                             "signal_confidence": order["confidence"], "analysis": analysis})
            decision["risk"] = verdict
            if not verdict["approved"]:
                decision.update(outcome="rejected", reason=f"risk: {verdict['reason']}")
            else:
                stage = "execute"
                submit = {"client_order_id": f"sig-{signal['id']}", "account": ACCOUNT, "symbol": order["symbol"],
                          "side": order["side"], "type": "market", "qty": verdict["qty"]}
                report = ask("execution", "execute", {"order": submit})
                stage = "done"
                decision.update(order_id=report["order_id"], filled_qty=report["filled_qty"],
                                avg_price=report["avg_price"], fills=report["fills"])
                if report["filled_qty"] > 0:
                    decision.update(outcome="filled", reason=f"filled {report['filled_qty']} at {report['avg_price']}")
                else:
                    decision.update(outcome="rejected", reason=f"venue {report['status']}: {report.get('reason')}")
        except (TimeoutError, RuntimeError) as error:
            decision.update(outcome="failed", reason=f"{stage} failed: {error}")
        decision.update(stage=stage, latency_us=int((time.perf_counter() - started) * 1e6))
        publish(pub, f"decision.{order['symbol']}", envelope("decision", decision, name, signal["trace_id"], signal["id"]))

    started, seq = time.monotonic(), 0
    next_beat = started
    while True:
        now = time.monotonic()
        if now >= next_beat:
            seq += 1
            publish(pub, f"heartbeat.{name}", envelope("heartbeat", {
                "agent": name, "seq": seq, "uptime_ms": int((now - started) * 1000)}, name))
            next_beat += HEARTBEAT_S
        if sub.poll(max(0, next_beat - time.monotonic()) * 1000):
            cycle(json.loads(sub.recv_multipart()[1]))


ROLES = {"bus": run_bus, "market": run_market, "analyst": run_analyst, "risk": run_risk,
         "execution": run_execution, "director": run_director}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ROLES:
        sys.exit(f"usage: python_pipeline.py {{{'|'.join(ROLES)}}} CONFIG.json")
    with open(sys.argv[2]) as f:
        config = json.load(f)
    ROLES[sys.argv[1]](zmq.Context(), config)


if __name__ == "__main__":
    main()
