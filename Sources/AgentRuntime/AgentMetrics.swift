import Messaging
import Metrics
import Prometheus

/// The process's metrics registry and the gauges the runtime keeps itself.
public enum AgentMetrics {
    /// Where every swift-metrics instrument of the process lands once bootstrapped.
    public static let registry = PrometheusCollectorRegistry()

    /// The registry in Prometheus text exposition format.
    public static func exposition() -> String { registry.emitToString() }

    /// Mirrors the message loop's counters into gauges.
    static func recordLoop(_ stats: MessageLoopStats) {
        Gauge(label: "hedgebus_loop_received_messages").record(stats.received)
        Gauge(label: "hedgebus_loop_sent_messages").record(stats.sent)
        Gauge(label: "hedgebus_loop_sent_at_once").record(stats.sentAtOnce)
        Gauge(label: "hedgebus_loop_send_failures").record(stats.sendFailures)
        Gauge(label: "hedgebus_loop_inbound_drops").record(stats.inboundDrops)
        Gauge(label: "hedgebus_loop_malformed_drops").record(stats.malformedDrops)
        Gauge(label: "hedgebus_loop_unannounced_messages").record(stats.unannouncedMessages)
        // Busy polling while a reply is awaited (`busy_poll_us`): windows that found work, ran
        // out, or were cut because the machine had no CPU to spare, and waits that did not poll
        // because the loop's last windows had all run out.
        Gauge(label: "hedgebus_loop_busy_polls", dimensions: [("outcome", "found")]).record(stats.busyPollHits)
        Gauge(label: "hedgebus_loop_busy_polls", dimensions: [("outcome", "window_ended")]).record(stats.busyPollMisses)
        Gauge(label: "hedgebus_loop_busy_polls", dimensions: [("outcome", "cpus_wanted")]).record(stats.busyPollsCut)
        Gauge(label: "hedgebus_loop_busy_polls", dimensions: [("outcome", "passed_over")]).record(stats.busyPollsPassedOver)
        Gauge(label: "hedgebus_loop_reply_yields").record(stats.repliesYielded)
        // Closed by their peer or by libzmq for an oversized message or a protocol error: libzmq
        // reports all three with the same monitor event.
        Gauge(label: "hedgebus_loop_connections_closed").record(stats.connections.closed)
        Gauge(label: "hedgebus_loop_handshake_protocol_errors").record(stats.connections.handshakeProtocolErrors)
    }
}
