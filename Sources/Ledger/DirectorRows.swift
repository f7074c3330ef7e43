import Foundation

/// One transaction's worth of `DirectorChange`s as the statements to run: a signal accepted in
/// the batch becomes one row inserted once with the step and decision recorded for it later in
/// the same batch. The rest (changes of signals accepted earlier, positions) are run as they
/// are, in order.
struct DirectorRows {
    /// An accepted signal with what the batch recorded of it afterwards.
    struct Signal: Hashable {
        var signalId: String
        var symbol: String
        var receivedUs: Int64
        var envelope: Data
        var step: Data?
        var decision: Data?
    }

    /// One statement.
    enum Row: Hashable {
        /// Insert the signal, with the step and decision the batch recorded of it.
        case signal(Signal)
        /// Set the step of a signal accepted in an earlier batch.
        case step(signalId: String, Data)
        /// Set the decision of a signal accepted in an earlier batch.
        case decision(signalId: String, Data)
        /// Write a position's state.
        case position(openingSignalId: String, symbol: String, state: Data)
        /// Delete a position.
        case positionClosed(openingSignalId: String)
    }

    /// What to write, in order.
    private(set) var rows: [Row] = []

    /// The rows for `changes`, which are in the order they were made.
    init(_ changes: [DirectorChange]) {
        rows.reserveCapacity(changes.count)
        // Where the row of each signal accepted in this batch is.
        var accepted: [String: Int] = [:]
        for change in changes {
            switch change {
            case .accepted(let id, let symbol, let receivedUs, let envelope):
                // Accepted again in the same batch: the first acceptance stands.
                guard accepted[id] == nil else { continue }
                accepted[id] = rows.count
                rows.append(.signal(Signal(signalId: id, symbol: symbol, receivedUs: receivedUs, envelope: envelope)))
            case .executing(let id, let step):
                guard let at = accepted[id], case .signal(var signal) = rows[at] else {
                    rows.append(.step(signalId: id, step))
                    continue
                }
                signal.step = step
                rows[at] = .signal(signal)
            case .decided(let id, let decision):
                guard let at = accepted[id], case .signal(var signal) = rows[at] else {
                    rows.append(.decision(signalId: id, decision))
                    continue
                }
                signal.decision = decision
                rows[at] = .signal(signal)
            case .position(let id, let symbol, let state):
                rows.append(.position(openingSignalId: id, symbol: symbol, state: state))
            case .positionClosed(let id):
                rows.append(.positionClosed(openingSignalId: id))
            }
        }
    }
}
