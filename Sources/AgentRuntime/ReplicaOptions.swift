import ArgumentParser
import Configuration

/// The `--replica N` option of an agent that may run as several replicas behind a broker.
public struct ReplicaOptions: ParsableArguments {
    @Option(name: .long, help: "Which replica this process is (1…replicas), when the topology gives the agent replicas above 1.")
    public var replica: Int?

    public init() {}

    /// The wire name of `agent` run as `replica`: its own name when the entry has one replica,
    /// `agent#N` when it has several (N is 1 when not given). A replica number outside
    /// 1…replicas, or one given to an agent with a single replica, is a validation error.
    public static func name(of agent: AgentName, replica: Int?, entry: Topology.Endpoint) throws -> String {
        guard entry.isReplicated else {
            if let replica, replica != 1 {
                throw ValidationError("--replica \(replica): agents.\(agent.rawValue).replicas is 1 in the topology, so there is no replica \(replica)")
            }
            return agent.rawValue
        }
        let index = replica ?? 1
        guard (1...entry.replicaCount).contains(index) else {
            throw ValidationError("--replica \(index): agents.\(agent.rawValue).replicas is \(entry.replicaCount), so the replica must be 1…\(entry.replicaCount)")
        }
        return replicaName(agent, index)
    }
}
