import Foundation
import Trading
import WireFormat
import WireProtocol

// Hand-written JSON forms of the director's records, written on every signal (its execution
// step and decision) and on every change of a watched position. They give the bytes
// `WireJSONEncoder` gives (compact, members sorted by name), so stored records read the same
// whichever path wrote them.

extension ExecutionStep: FastWireCodable {
    private static let keys = JSONKeyTable("analysis", "verdict")

    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) { _ = try write(to: out) }

    /// Writes the step and returns where in `out` its analysis and its verdict are; with
    /// `writtenAnalysis` (what the analysis's form wrote already, or the bytes it came in) and
    /// `writtenVerdict` (the bytes the verdict came in), those bytes for them.
    func write(to out: ByteBuffer, writtenAnalysis: Data? = nil, writtenVerdict: Data? = nil) throws(FastPathDeclined)
        -> (analysis: Range<Int>, verdict: Range<Int>) {
        var object = JSONObjectWriter(out)
        object.name("analysis")
        let analysisStart = out.written
        if let writtenAnalysis {
            writtenAnalysis.withUnsafeBytes { out.append($0.bindMemory(to: UInt8.self)) }
        } else {
            try analysis.writeFastJSON(to: out)
        }
        let analysisEnd = out.written
        object.name("verdict")
        let verdictStart = out.written
        if let writtenVerdict {
            writtenVerdict.withUnsafeBytes { out.append($0.bindMemory(to: UInt8.self)) }
        } else {
            try verdict.writeFastJSON(to: out)
        }
        let verdictEnd = out.written
        object.close()
        return (analysisStart ..< analysisEnd, verdictStart ..< verdictEnd)
    }

    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var analysis: AnalysisReport?, verdict: RiskVerdict?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: analysis = try value.value()
            default: verdict = try value.value()
            }
        }
        guard let analysis, let verdict else { throw FastPathDeclined() }
        self.init(analysis: analysis, verdict: verdict)
    }
}

/// The form of a watched position's record. It only writes: the position's parts can be set
/// only through `Codable`, which reads the records back once, at start-up. A record whose
/// position has counted venue rejections (a table keyed by exit kind) is left to `Codable`.
extension PositionRecord: WrittenForm {
    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.array("inFlight", inFlight.map(DueExitForm.init))
        try object.value("position", WatchedPositionForm(position: position))
        object.close()
    }
}

private struct WatchedPositionForm: WrittenForm {
    let position: WatchedPosition

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        guard position.rejections.isEmpty else { throw FastPathDeclined() }
        var object = JSONObjectWriter(out)
        object.string("account", position.account)
        try object.value("matcher", MatcherForm(matcher: position.matcher))
        object.string("openingSignalId", position.openingSignalId)
        object.string("openingTraceId", position.openingTraceId)
        try object.value("rejections", NoRejections())
        object.string("symbol", position.symbol)
        try object.value("tracker", TrackerForm(tracker: position.tracker))
        object.close()
    }
}

/// An empty table of venue rejections: `{}`.
private struct NoRejections: WrittenForm {
    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        JSONObjectWriter(out).close()
    }
}

private struct MatcherForm: WrittenForm {
    let matcher: FifoTradeMatcher

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.array("lots", matcher.lots.map(LotForm.init))
        object.string("symbol", matcher.symbol)
        object.close()
    }
}

private struct LotForm: WrittenForm {
    let lot: FifoTradeMatcher.Lot

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.double("fee", lot.fee.double)
        try object.double("price", lot.price.double)
        try object.double("qty", lot.qty.double)
        object.rawValue("side", lot.side)
        object.integer("timeMicros", lot.timeMicros)
        object.close()
    }
}

private struct TrackerForm: WrittenForm {
    let tracker: ExitTracker

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.integer("entryTimeMicros", tracker.entryTimeMicros)
        if let maxHolding = tracker.maxHoldingMicros { object.integer("maxHoldingMicros", maxHolding) }
        try object.double("remainingQty", tracker.remainingQty.double)
        object.rawValue("side", tracker.side)
        try object.double("stopPrice", tracker.stopPrice.double)
        try object.array("targets", tracker.targets.map(TargetForm.init))
        try object.value("targetsHit", FlagsForm(flags: tracker.targetsHit))
        object.close()
    }
}

private struct TargetForm: WrittenForm {
    let target: PlannedTarget

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.double("fraction", target.fraction)
        try object.double("price", target.price.double)
        try object.double("qty", target.qty.double)
        try object.double("riskReward", target.riskReward)
        object.close()
    }
}

/// An array of booleans: `[true,false]`.
private struct FlagsForm: WrittenForm {
    let flags: [Bool]

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        out.append(UInt8(ascii: "["))
        for index in flags.indices {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(flags[index] ? "true" : "false")
        }
        out.append(UInt8(ascii: "]"))
    }
}

private struct DueExitForm: WrittenForm {
    let exit: DueExit

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.string("account", exit.account)
        try object.value("action", ActionForm(action: exit.action))
        object.integer("attempt", exit.attempt)
        object.string("kind", exit.kind)
        object.string("openingSignalId", exit.openingSignalId)
        object.string("openingTraceId", exit.openingTraceId)
        object.string("symbol", exit.symbol)
        object.close()
    }
}

private struct ActionForm: WrittenForm {
    let action: ExitAction

    func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        try object.double("observedPrice", action.observedPrice.double)
        try object.double("qty", action.qty.double)
        object.rawValue("reason", action.reason)
        try object.double("remainingAfter", action.remainingAfter.double)
        object.rawValue("side", action.side)
        if let index = action.targetIndex { object.integer("targetIndex", index) }
        try object.double("triggerPrice", action.triggerPrice.double)
        object.close()
    }
}
