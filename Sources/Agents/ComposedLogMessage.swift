import Logging
import Trading

extension Logger.Message {
    /// A log message composed as bytes (`ComposedText`) and made a string once: what an agent
    /// logs for every message it handles, where `String`'s own interpolation costs a few
    /// hundred instructions a part (docs/PERFORMANCE.md, change 106). Written in the log call's
    /// argument, so it is made only when the line's level is logged.
    init(composed text: ComposedText) {
        self.init(stringLiteral: text.string)
    }
}
