import Foundation
import HedgeBusTesting
import Testing

/// `scripts/multihost`: the bus, the MarketMaker, the other agents and the operator's `hedgectl`
/// each on a network namespace of their own (one host each, its own address, joined by a
/// bridge; the MarketMaker reached by a host name), started with `launch.sh up --only`. The MarketMaker's link and then the bus's are
/// cut with `ip link set … down` while signals flow, and restored. Every signal must get one
/// decision, the cycle must resume, and no fill a decision reported may be missing from the
/// MarketMaker's ledger, whose fills must add up to its inventory.
@Suite(.serialized) struct MultiHostTests {
    static let script = LaunchScript.root.appendingPathComponent("scripts/multihost").path

    /// Why this machine cannot run the test, or nil.
    static var missing: String? {
        if let missing = LaunchScript.missing { return missing }
        guard geteuid() == 0 else { return "not root: the test makes network namespaces and veth pairs, which needs root" }
        guard ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].contains(where: FileManager.default.isExecutableFile) else {
            return "iproute2's ip command is not installed (scripts/ensure-deps --for-tests installs it)"
        }
        return nil
    }

    @Test func linksCutBetweenHostsLoseNoSignalAndNoFill() async throws {
        if let missing = Self.missing {
            print("skipped: \(missing)")
            return
        }
        // At the time limit SIGTERM lets the script stop its processes and remove its namespaces.
        let (status, printed, written) = try await ScriptRun.pythonReport(
            Self.script, ["--signals", "40", "--bin-dir", ProcessGroup.binDirectory.path], name: "multihost", timeout: .seconds(200))
        if status == 77 {
            // The script found namespaces unusable here (e.g. a container without CAP_SYS_ADMIN).
            print("skipped: \(printed.split(separator: "\n").first { $0.contains("skipped") } ?? Substring(printed))")
            return
        }
        let data = try #require(written, "no report written:\n\(printed)")
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(status == 0, "\(printed)")
        #expect(report["binds_as_configured"] as? Bool == true, "\(printed)")
        let cuts = try #require(report["cuts"] as? [[String: Any]], "\(printed)")
        #expect(cuts.map { $0["host"] as? String } == ["venue", "bus"])
        #expect(cuts.allSatisfy { $0["unreachable_while_cut"] as? Bool == true }, "\(printed)")
        let sent = try #require(report["signals_sent"] as? Int)
        #expect(sent >= 8 + 40 + 1 + 10)
        #expect(report["decisions_printed"] as? Int == sent, "\(printed)")
        #expect(report["signals_without_one_decision"] as? Int == 0, "\(printed)")
        #expect(report["printed_vs_recorded_disagree"] as? Int == 0, "\(printed)")
        #expect(report["resumed_after_s"] is Double || report["resumed_after_s"] is Int, "\(printed)")
        #expect(report["after_cuts"] as? [String] == Array(repeating: "filled", count: 10), "\(printed)")
        #expect((report["acknowledged_fills"] as? Int ?? 0) > 0, "\(printed)")
        #expect(report["acknowledged_fills_lost"] as? Int == 0, "\(printed)")
        #expect(report["inventory_matches_ledger"] as? Bool == true, "\(printed)")
        #expect(report["namespaces_left"] as? [String] == [], "\(printed)")
    }
}
