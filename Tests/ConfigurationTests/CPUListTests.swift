import Configuration
import Foundation
import Testing

/// `cpus` in a topology: a CPU list as `taskset -c` writes it, the topology's for every process,
/// and `bus.cpus` or an agent's own over it.
@Suite struct CPUListTests {
    static let readings: [(text: String, cpus: [Int], shortest: String)] = [
        ("0", [0], "0"),
        ("0-3", [0, 1, 2, 3], "0-3"),
        ("3,0-1", [0, 1, 3], "0-1,3"),
        (" 2 , 1 ,2", [1, 2], "1-2"),
        ("1023", [1_023], "1023"),
    ]

    @Test(arguments: 0..<readings.count)
    func aListIsReadAsTheCPUsItNamesAndWrittenInItsShortestForm(_ index: Int) throws {
        let (text, cpus, shortest) = Self.readings[index]
        let list = try CPUList(parsing: text)
        #expect(list.cpus == cpus)
        #expect(list.description == shortest)
    }

    static let refusals: [(text: String, says: String)] = [
        ("", "is not a CPU list"),
        ("a", "is not a CPU list"),
        ("0-", "is not a CPU list"),
        ("-1", "is not a CPU list"),
        ("1,,2", "is not a CPU list"),
        ("0-1-2", "is not a CPU list"),
        ("+1", "is not a CPU list"),
        ("3-1", "the range 3-1 runs backwards"),
        ("1024", "CPU 1024 is above 1023"),
    ]

    @Test(arguments: 0..<refusals.count)
    func aTextThatIsNotACPUListIsRefusedWithTheReason(_ index: Int) {
        let (text, says) = Self.refusals[index]
        #expect {
            try CPUList(parsing: text)
        } throws: { error in
            "\(error)".contains(says)
        }
    }

    @Test func theTopologysCPUsApplyToEveryProcessThatNamesNoneOfItsOwn() throws {
        let loaded = try TopologyLoadingTests.load("""
            { "bus": { "publish": "tcp://127.0.0.1:17100", "subscribe": "tcp://127.0.0.1:17101", "cpus": "1" },
              "agents": {
                "quant-analyst": { "endpoint": "tcp://127.0.0.1:17110" },
                "risk-manager": { "endpoint": "tcp://127.0.0.1:17111" },
                "execution-agent": { "endpoint": "tcp://127.0.0.1:17112" },
                "market-maker": { "endpoint": "tcp://127.0.0.1:17113", "cpus": "2-3" },
                "trading-director": { "endpoint": "tcp://127.0.0.1:17114" }
              },
              "cpus": "0" }
            """)
        #expect(loaded.cpus(of: .agent(.tradingDirector))?.list.cpus == [0])
        #expect(loaded.cpus(of: .agent(.tradingDirector))?.key == "cpus")
        #expect(loaded.cpus(of: .agent(.marketMaker))?.list.cpus == [2, 3])
        #expect(loaded.cpus(of: .agent(.marketMaker))?.key == "agents.market-maker.cpus")
        #expect(loaded.cpus(of: .bus)?.list.cpus == [1])
        #expect(loaded.cpus(of: .bus)?.key == "bus.cpus")
        #expect(loaded.cpus(of: .allAgents)?.list.cpus == [0])
    }

    @Test func withoutCPUsEveryProcessStaysWhereTheSystemPutsIt() throws {
        let loaded = try TopologyLoadingTests.load("{\(TopologyLoadingTests.bus), \(TopologyLoadingTests.agents)}")
        #expect(loaded.cpus == nil)
        #expect(loaded.cpus(of: .bus) == nil && loaded.cpus(of: .allAgents) == nil)
        #expect(loaded.cpus(of: .agent(.marketMaker)) == nil)
    }

    @Test func aBadListInATopologyIsRefusedNamingItsKey() {
        let agents = TopologyLoadingTests.agents.replacingOccurrences(of: #""endpoint": "tcp://127.0.0.1:17111""#,
                                                                      with: #""endpoint": "tcp://127.0.0.1:17111", "cpus": "1-0""#)
        #expect {
            try TopologyLoadingTests.load("{\(TopologyLoadingTests.bus), \(agents)}")
        } throws: { error in
            "\(error)".contains("agents.risk-manager.cpus") && "\(error)".contains("runs backwards")
        }
        #expect {
            try TopologyLoadingTests.load("{\(TopologyLoadingTests.bus), \(TopologyLoadingTests.agents), \"cpus\": 0}")
        } throws: { error in
            "\(error)".contains("'cpus' has the wrong type")
        }
    }
}
