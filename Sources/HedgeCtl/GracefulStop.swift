import Configuration
import Dispatch
import Foundation
import Synchronization
import Tracing
import WireFormat
import WireProtocol

/// SIGTERM/SIGINT handling for a bus tail that must not lose what is in flight: after the signal
/// it keeps reading until every process has sent a heartbeat stamped later than the signal (so
/// everything they published before it has arrived), or `grace` passes.
final class GracefulStop: Sendable {
    /// When the first signal came, and who has not been heard from since.
    private final class Progress: Sendable {
        let state = Mutex<(since: Int64?, waiting: Set<String>)>((nil, Set([busName] + AgentName.allCases.map(\.rawValue))))
    }

    private let progress = Progress()
    private let fired: AsyncStream<Void>
    /// Kept alive for the life of the tail.
    private let sources: Mutex<[any DispatchSourceSignal]>
    private let grace: Duration

    init(grace: Duration = .seconds(2)) {
        self.grace = grace
        let (fired, trigger) = AsyncStream.makeStream(of: Void.self)
        self.fired = fired
        let progress = self.progress
        sources = Mutex([SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler {
                progress.state.withLock { if $0.since == nil { $0.since = WallClock.micros() } }
                trigger.yield(())
            }
            source.resume()
            return source
        })
    }

    /// Whether the tail may stop now: a signal arrived and every process has been heard from since.
    func observe<P>(_ record: Envelope<P>) -> Bool {
        progress.state.withLock { state in
            guard let since = state.since else { return false }
            if record.type == EventType.heartbeat, record.ts > since { state.waiting.remove(record.source) }
            return state.waiting.isEmpty
        }
    }

    /// Returns `grace` after the first signal: the tail's upper bound on draining.
    func deadline() async {
        for await _ in fired {
            try? await Task.sleep(for: grace)
            return
        }
    }
}
