import Metrics
import WireProtocol

/// The MarketMaker's own instruments: fills and rejections by reason, and inventory gauges per
/// account and symbol.
enum VenueMetrics {
    static func record(_ report: OrderReport) {
        if report.status == .rejected {
            Counter(label: "hedgebus_order_rejections_total", dimensions: [("reason", report.reasonCode ?? "unknown")]).increment()
        }
        for fill in report.fills {
            Counter(label: "hedgebus_fills_total", dimensions: [("account", fill.account), ("symbol", fill.symbol), ("side", fill.side.rawValue)]).increment()
        }
    }

    static func record(_ snapshot: InventorySnapshot) {
        for row in snapshot.positions {
            let labels = [("account", row.account), ("symbol", row.symbol)]
            Gauge(label: "hedgebus_inventory_base", dimensions: labels).record(row.base)
            Gauge(label: "hedgebus_inventory_quote", dimensions: labels).record(row.quote)
            Gauge(label: "hedgebus_inventory_avg_entry_price", dimensions: labels).record(row.avgEntryPrice)
            Gauge(label: "hedgebus_inventory_realized_pnl", dimensions: labels).record(row.realizedPnl)
            Gauge(label: "hedgebus_inventory_unrealized_pnl", dimensions: labels).record(row.unrealizedPnl)
        }
    }
}
