import Agents
import Instrumentation
import Metrics
import Trading
import WireFormat
import WireProtocol

/// The MarketMaker's own instruments in Prometheus: fills and rejections by reason, inventory
/// gauges per account and symbol, hedges by outcome.
struct VenueMetrics: VenueMetricsRecording {
    func record(_ report: OrderReport) {
        if report.status == .rejected {
            Instruments.counter("hedgebus_order_rejections_total", [("reason", report.reasonCode ?? "unknown")]).increment()
        }
        for fill in report.fills {
            Instruments.counter("hedgebus_fills_total", [("account", fill.account), ("symbol", fill.symbol), ("side", fill.side.rawValue)]).increment()
        }
    }

    /// Inventory metrics: real, pending and effective inventory, and the limit.
    func record(_ states: [InventoryState], newlyOverLimit: [InventoryState]) {
        for state in states {
            let labels = [("account", state.account), ("symbol", state.symbol)]
            Gauge(label: "hedgebus_inventory_real", dimensions: labels).record(state.position.double)
            Gauge(label: "hedgebus_inventory_pending_buy", dimensions: labels).record(state.pendingBuyQty.double)
            Gauge(label: "hedgebus_inventory_pending_sell", dimensions: labels).record(state.pendingSellQty.double)
            Gauge(label: "hedgebus_inventory_effective", dimensions: labels).record(state.effectiveInventory.double)
            Gauge(label: "hedgebus_inventory_over_limit", dimensions: labels).record(state.isOverLimit ? 1 : 0)
        }
        for state in newlyOverLimit {
            Instruments.counter("hedgebus_inventory_over_limit_events_total", [("account", state.account), ("symbol", state.symbol)]).increment()
        }
    }

    func record(_ snapshot: InventorySnapshot) {
        for row in snapshot.positions {
            let labels = [("account", row.account), ("symbol", row.symbol)]
            Gauge(label: "hedgebus_inventory_base", dimensions: labels).record(row.base.double)
            Gauge(label: "hedgebus_inventory_quote", dimensions: labels).record(row.quote.double)
            Gauge(label: "hedgebus_inventory_avg_entry_price", dimensions: labels).record(row.avgEntryPrice.double)
            Gauge(label: "hedgebus_inventory_realized_pnl", dimensions: labels).record(row.realizedPnl.double)
            Gauge(label: "hedgebus_inventory_unrealized_pnl", dimensions: labels).record(row.unrealizedPnl.double)
        }
    }

    func record(_ hedge: HedgeEventPayload) {
        Instruments.counter("hedgebus_hedges_total", [("from", hedge.from), ("to", hedge.to), ("status", hedge.status)]).increment()
    }
}
