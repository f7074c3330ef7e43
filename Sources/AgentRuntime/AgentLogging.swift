import Logging

/// Logging set-up for an executable's `main`; libraries only create loggers.
public enum AgentLogging {
    /// Sends every logger to standard error at `level`, one line per event.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
