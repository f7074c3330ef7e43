import Agents
import Instrumentation
import Metrics
import Synchronization
import Trading
import WireFormat
import WireProtocol

/// The MarketMaker's own instruments in Prometheus: fills and rejections by reason, inventory
/// gauges per account and symbol, hedges by outcome.
///
/// The inventory gauges and fills counters are recorded after each fill, so their handles are
/// made once per account and symbol and kept: making one validates its name and labels and
/// looks it up in the registry under a lock, which cost more than recording it.
final class VenueMetrics: VenueMetricsRecording {
    /// The inventory view's gauges of one account and symbol.
    private struct InventoryGauges {
        let real, pendingBuy, pendingSell, effective, overLimit: Gauge

        init(_ labels: [(String, String)]) {
            real = Gauge(label: "hedgebus_inventory_real", dimensions: labels)
            pendingBuy = Gauge(label: "hedgebus_inventory_pending_buy", dimensions: labels)
            pendingSell = Gauge(label: "hedgebus_inventory_pending_sell", dimensions: labels)
            effective = Gauge(label: "hedgebus_inventory_effective", dimensions: labels)
            overLimit = Gauge(label: "hedgebus_inventory_over_limit", dimensions: labels)
        }
    }

    /// The gauges of one account's position row in a symbol.
    private struct PositionGauges {
        let base, quote, avgEntryPrice, realizedPnl, unrealizedPnl: Gauge

        init(_ labels: [(String, String)]) {
            base = Gauge(label: "hedgebus_inventory_base", dimensions: labels)
            quote = Gauge(label: "hedgebus_inventory_quote", dimensions: labels)
            avgEntryPrice = Gauge(label: "hedgebus_inventory_avg_entry_price", dimensions: labels)
            realizedPnl = Gauge(label: "hedgebus_inventory_realized_pnl", dimensions: labels)
            unrealizedPnl = Gauge(label: "hedgebus_inventory_unrealized_pnl", dimensions: labels)
        }
    }

    /// Per account and symbol (configured names only: the venue reports no others).
    private let inventoryGauges = Mutex<[PositionKey: InventoryGauges]>([:])
    private let positionGauges = Mutex<[PositionKey: PositionGauges]>([:])
    /// The fills counters, per account and symbol, buys and sells.
    private let fillCounters = Mutex<[PositionKey: (buy: Counter, sell: Counter)]>([:])

    /// The gauges of `account` and `symbol` in `table`, made with their labels the first time.
    private static func kept<Gauges>(in table: inout [PositionKey: Gauges], account: String, symbol: String,
                                     _ make: ([(String, String)]) -> Gauges) -> Gauges {
        let key = PositionKey(account: account, symbol: symbol)
        if let known = table[key] { return known }
        let made = make([("account", account), ("symbol", symbol)])
        table[key] = made
        return made
    }

    func record(_ report: OrderReport) {
        if report.status == .rejected {
            Instruments.counter("hedgebus_order_rejections_total", [("reason", report.reasonCode ?? "unknown")]).increment()
        }
        guard !report.fills.isEmpty else { return }
        fillCounters.withLock { counters in
            for fill in report.fills {
                let made = Self.kept(in: &counters, account: fill.account, symbol: fill.symbol) { labels in
                    (Counter(label: "hedgebus_fills_total", dimensions: labels + [("side", Side.buy.rawValue)]),
                     Counter(label: "hedgebus_fills_total", dimensions: labels + [("side", Side.sell.rawValue)]))
                }
                (fill.side == .buy ? made.buy : made.sell).increment()
            }
        }
    }

    /// Inventory metrics: real, pending and effective inventory, and the limit.
    func record(_ states: [InventoryState], newlyOverLimit: [InventoryState]) {
        inventoryGauges.withLock { gauges in
            for state in states {
                let made = Self.kept(in: &gauges, account: state.account, symbol: state.symbol, InventoryGauges.init)
                made.real.record(state.position.double)
                made.pendingBuy.record(state.pendingBuyQty.double)
                made.pendingSell.record(state.pendingSellQty.double)
                made.effective.record(state.effectiveInventory.double)
                made.overLimit.record(state.isOverLimit ? 1 : 0)
            }
        }
        for state in newlyOverLimit {
            Instruments.counter("hedgebus_inventory_over_limit_events_total", [("account", state.account), ("symbol", state.symbol)]).increment()
        }
    }

    func record(_ snapshot: InventorySnapshot) {
        positionGauges.withLock { gauges in
            for row in snapshot.positions {
                let made = Self.kept(in: &gauges, account: row.account, symbol: row.symbol, PositionGauges.init)
                made.base.record(row.base.double)
                made.quote.record(row.quote.double)
                made.avgEntryPrice.record(row.avgEntryPrice.double)
                made.realizedPnl.record(row.realizedPnl.double)
                made.unrealizedPnl.record(row.unrealizedPnl.double)
            }
        }
    }

    func record(_ hedge: HedgeEventPayload) {
        Instruments.counter("hedgebus_hedges_total", [("from", hedge.from), ("to", hedge.to), ("status", hedge.status)]).increment()
    }
}
