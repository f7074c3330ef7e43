import Foundation
import Instrumentation

extension BusProxy {
    /// Logs (rate-limited) and counts a publication dropped for its publisher's identity.
    func refusePublication(_ message: IdentifiedFrames) {
        let topic = message.frames.first.map { String(decoding: $0.prefix(80), as: UTF8.self) } ?? ""
        let who = message.userId ?? "an unidentified peer"
        Instruments.counter("hedgebus_auth_refused_total", [("stage", "publish")]).increment()
        refusals.record("bus dropped a publication on '\(topic)' from \(who): not allowed to publish it", key: "publish \(who)")
    }

    /// Logs (rate-limited) and counts a subscription refused for its subscriber's identity.
    func refuseSubscription(_ message: IdentifiedFrames) {
        let prefix = message.frames.first.map { String(decoding: $0.dropFirst().prefix(80), as: UTF8.self) } ?? ""
        let who = message.userId ?? "an unidentified peer"
        Instruments.counter("hedgebus_auth_refused_total", [("stage", "subscribe")]).increment()
        refusals.record("bus refused \(who) a subscription to '\(prefix)': not allowed to read it", key: "subscribe \(who)")
    }
}
