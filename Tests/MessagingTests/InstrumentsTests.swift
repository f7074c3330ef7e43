import Instrumentation
import Metrics
import Testing

/// `Instruments` makes one counter or timer per label and dimensions and hands the same one back
/// for them, however many others share the label.
@Suite struct InstrumentsTests {
    @Test func theSameLabelAndDimensionsGiveTheSameInstrumentAndAnyDifferenceAnother() {
        let label = "instruments_test_total"
        let filledDone = Instruments.counter(label, [("outcome", "filled"), ("stage", "done")])
        let rejectedAssess = Instruments.counter(label, [("outcome", "rejected"), ("stage", "assess")])
        let bare = Instruments.counter(label)
        #expect(Instruments.counter(label, [("outcome", "filled"), ("stage", "done")]) === filledDone)
        #expect(Instruments.counter(label, [("outcome", "rejected"), ("stage", "assess")]) === rejectedAssess)
        #expect(Instruments.counter(label) === bare)
        #expect(rejectedAssess !== filledDone && bare !== filledDone)
        // A value, a name, the order or the count of the dimensions, or the label differing: another one.
        #expect(Instruments.counter(label, [("outcome", "filled"), ("stage", "assess")]) !== filledDone)
        #expect(Instruments.counter(label, [("result", "filled"), ("stage", "done")]) !== filledDone)
        #expect(Instruments.counter(label, [("stage", "done"), ("outcome", "filled")]) !== filledDone)
        #expect(Instruments.counter(label, [("outcome", "filled")]) !== filledDone)
        #expect(Instruments.counter("instruments_test_other_total", [("outcome", "filled"), ("stage", "done")]) !== filledDone)
        #expect(filledDone.label == label && filledDone.dimensions.map(\.1) == ["filled", "done"])

        let timer = Instruments.timer("instruments_test_seconds", [("type", "analyze")])
        #expect(Instruments.timer("instruments_test_seconds", [("type", "analyze")]) === timer)
        #expect(Instruments.timer("instruments_test_seconds", [("type", "assess")]) !== timer)
    }
}
