import Testing
@testable import AgentRuntime

/// Log timestamps read the time zone once: `TZ` names /etc/localtime when it was unset.
@Suite("Log time zone")
struct LogTimeZoneTests {
    @Test func anUnsetTimeZoneNamesTheSystemsFile() {
        #expect(AgentLogging.timeZoneSetting(current: nil) == ":/etc/localtime")
    }

    @Test func aTimeZoneAlreadySetIsKept() {
        #expect(AgentLogging.timeZoneSetting(current: "Europe/Paris") == nil)
        #expect(AgentLogging.timeZoneSetting(current: "") == nil)
    }
}
