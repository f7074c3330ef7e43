import Foundation
import HedgeBusTesting
import Testing

/// `scripts/chaos --quick`: signals flow while every process (the bus and each agent) is
/// SIGKILLed once and restarted by the supervisor, then every endpoint is flooded with
/// malformed and oversized messages. Nothing may be lost or traded twice, the ledger's fills
/// must add up to the venue's inventory, and every process must survive the flood.
@Suite(.serialized) struct ChaosTests {
    static let script = LaunchScript.root.appendingPathComponent("scripts/chaos").path

    static var missing: String? {
        if let missing = LaunchScript.missing { return missing }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import zmq"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return "python3 is not installed" }
        check.waitUntilExit()
        return check.terminationStatus == 0 ? nil : "pyzmq is not installed (scripts/ensure-deps --for-tests installs it)"
    }

    @Test func killsAndFloodsLoseNothingAndTradeNothingTwice() async throws {
        if let missing = Self.missing {
            print("skipped: \(missing)")
            return
        }
        // At the time limit SIGTERM lets the script stop its topology; should it be SIGKILLed,
        // its supervisor stops the topology, watching the script's process.
        let (status, printed, written) = try await ScriptRun.pythonReport(
            Self.script, ["--quick", "--bin-dir", ProcessGroup.binDirectory.path], name: "chaos", timeout: .seconds(240))
        let data = try #require(written, "no report written:\n\(printed)")
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(status == 0, "\(printed)")
        #expect(report["signals_sent"] as? Int == 90)
        #expect(report["decided"] as? Int == 90, "\(printed)")
        #expect(report["lost"] as? Int == 0, "\(printed)")
        #expect(report["traded_twice"] as? Int == 0, "\(printed)")
        #expect((report["fills_in_ledger"] as? Int ?? 0) > 0, "\(printed)")
        #expect(report["inventory_matches_fills"] as? Bool == true, "\(printed)")
        #expect(report["answering_after_flood"] as? Bool == true, "\(printed)")
        let survived = try #require(report["survived_flood"] as? [String: Bool])
        #expect(survived.count == 6 && survived.values.allSatisfy { $0 }, "\(printed)")
        let restarts = try #require(report["restarts"] as? [String: Int])
        for name in LaunchScript.names {
            #expect((restarts[name] ?? 0) >= 1, "\(name) was SIGKILLed and should have been restarted:\n\(printed)")
        }
    }
}
