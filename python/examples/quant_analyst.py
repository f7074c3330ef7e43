"""A QuantAnalyst written with the hedgebus SDK: a drop-in for the Swift one.

It keeps each symbol's recent mid prices from `market.<symbol>` ticks, groups them into bars of
`analyst.ticks_per_bar` ticks, and answers `analyze` with EMA crossover, Wilder RSI and ATR,
momentum z-score, volatility and support/resistance (docs/MODEL.md §2 gives the Swift agent's
formulas; this one follows them in spirit, not to the last digit). Every answer is also
published on `analysis.<symbol>`.

Run it as the topology's quant-analyst: `"command": ["python3", "../python/examples/quant_analyst.py"]`
(launch.sh and the tests append `--topology FILE`).
"""
import collections
import math
import os
import sys

try:
    import hedgebus
except ImportError:  # run from a checkout without `pip install -e python`
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import hedgebus
from hedgebus import Agent, ProtocolError, event, request


def ema(values, period):
    alpha, average = 2 / (period + 1), values[0]
    for value in values[1:]:
        average += alpha * (value - average)
    return average


def wilder(values, period):
    average = sum(values[:period]) / period
    for value in values[period:]:
        average += (value - average) / period
    return average


class QuantAnalyst(Agent):
    """The quant-analyst in Python: indicators over the market ticks it hears on the bus."""

    name = "quant-analyst"

    def __init__(self, topology_path):
        super().__init__(topology_path)
        settings = self.topology.section("analyst")
        self.fast = settings.get("fast_period", 12)
        self.slow = settings.get("slow_period", 26)
        self.rsi_period = settings.get("rsi_period", 14)
        self.atr_period = settings.get("atr_period", 14)
        self.ticks_per_bar = settings.get("ticks_per_bar", 5)
        self.prices = collections.defaultdict(lambda: collections.deque(maxlen=settings.get("window", 500)))

    @event("market.")
    def on_tick(self, envelope):
        tick = envelope["payload"]
        bid, ask = float(tick["bid"]), float(tick["ask"])
        if bid > 0 and ask >= bid:
            self.prices[tick["symbol"]].append((bid + ask) / 2)

    @request("analyze")
    def analyze(self, payload, envelope):
        symbol = payload.get("symbol")
        if not isinstance(symbol, str) or not symbol:
            raise ProtocolError("missing_field", "missing required field 'payload.symbol'")
        if payload.get("side") not in ("buy", "sell"):
            raise ProtocolError("invalid_value", "field 'payload.side' must be buy or sell")
        report = self.report(symbol)
        self.publish("analysis", f"analysis.{symbol}", report, envelope["trace_id"], envelope["id"])
        return report

    def report(self, symbol):
        prices = list(self.prices[symbol])
        bars = [prices[i:i + self.ticks_per_bar] for i in range(0, len(prices) - self.ticks_per_bar + 1, self.ticks_per_bar)]
        needed = max(self.slow, self.rsi_period + 1, self.atr_period + 1)
        report = {"symbol": symbol, "direction": "flat", "confidence": 0.0, "technical_score": 0.0, "trend_strength": 0.0,
                  "sample_count": len(prices)}
        if len(bars) < needed:
            report["thesis"] = f"insufficient data: {len(bars)} of {needed} bars"
            return report
        closes = [bar[-1] for bar in bars]
        fast, slow = ema(closes, self.fast), ema(closes, self.slow)
        changes = [b - a for a, b in zip(closes, closes[1:])]
        gain = wilder([max(c, 0) for c in changes], self.rsi_period)
        loss = wilder([max(-c, 0) for c in changes], self.rsi_period)
        rsi = 100.0 if loss == 0 else 100 - 100 / (1 + gain / loss)
        ranges = [max(bar) - min(bar) for bar in bars]
        atr = wilder([max(r, abs(max(bar) - prev), abs(min(bar) - prev)) for bar, r, prev in zip(bars[1:], ranges[1:], closes)],
                     self.atr_period)
        returns = [math.log(b / a) for a, b in zip(prices, prices[1:])]
        mean = sum(returns) / len(returns)
        volatility = math.sqrt(sum((r - mean) ** 2 for r in returns) / len(returns))
        window = closes[-self.slow:]
        centre = sum(window) / len(window)
        spread = math.sqrt(sum((c - centre) ** 2 for c in window) / len(window))
        momentum_z = 0.0 if spread == 0 else (closes[-1] - centre) / spread
        trend = 0.0 if atr == 0 else max(-1.0, min(1.0, (fast - slow) / atr))
        score = 0.5 * trend + 0.25 * (rsi - 50) / 50 + 0.25 * max(-1.0, min(1.0, momentum_z / 2))
        direction = "long" if score > 0.05 else "short" if score < -0.05 else "flat"
        report.update({
            "direction": direction, "confidence": 0.0 if direction == "flat" else min(1.0, abs(score)),
            "technical_score": score, "trend_strength": abs(trend), "fast_ema": fast, "slow_ema": slow, "rsi": rsi,
            "atr": atr, "momentum_z": momentum_z, "volatility": volatility,
            "key_levels": {"support": min(prices), "resistance": max(prices)}, "last_price": prices[-1],
            "thesis": f"EMA {self.fast}/{self.slow} {fast:.2f}/{slow:.2f}, RSI {rsi:.1f}, ATR {atr:.2f}, z {momentum_z:.2f}: {direction}",
        })
        return report


if __name__ == "__main__":
    QuantAnalyst.main()
