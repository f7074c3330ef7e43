import Configuration
import Messaging

/// How agents that share one process reach each other: one message loop, so one ZeroMQ context,
/// in which each agent's request server also binds an `inproc://` endpoint. A request between
/// them is handed to its server as a value, with no encoding or socket at all (`RequestClient`),
/// and a publication is handed to the bus the process runs on that loop (`LoopBus`), which
/// yields it to the subscribers in the process with no socket, TCP connection, I/O thread or
/// other thread to wake, and sends it on only to subscribers outside.
public struct ProcessLinks: Sendable {
    /// The loop every agent of the process runs on.
    public let loop: MessageLoop

    /// Starts the process's loop for `topology`, which must suit one process: no CURVE (there is
    /// no network between the agents to secure; run the agents apart to use it), one replica of
    /// each agent (replicas exist to spread agents over processes) and no agent run by a
    /// `command` of its own.
    public init(topology: Topology) throws {
        if let problem = Self.unsuitability(of: topology) { throw ProcessLinksError(description: problem) }
        loop = try MessageLoop(name: "agents", busyPoll: topology.busyPoll)
    }

    /// Why `topology` cannot run as one process, or nil when it can.
    public static func unsuitability(of topology: Topology) -> String? {
        if topology.security.curve {
            return "the topology turns CURVE on (security.curve), which secures the links between processes; run the agents as processes of their own (./topology/launch.sh up) to use it"
        }
        for agent in AgentName.allCases {
            guard let entry = try? topology.endpoint(of: agent) else { continue }
            if entry.isReplicated {
                return "agents.\(agent.rawValue).replicas is \(entry.replicaCount): replicas spread an agent over processes; run the agents as processes of their own (./topology/launch.sh up), or set replicas to 1"
            }
            if let command = entry.command, !command.isEmpty {
                return "agents.\(agent.rawValue).command runs that agent as another program (\(command.joined(separator: " "))); run the agents as processes of their own (./topology/launch.sh up), or remove the command"
            }
        }
        return nil
    }

    /// Where `agent`'s request server listens inside the process.
    public static func endpoint(of agent: AgentName) -> String { "inproc://hedgebus.\(agent.rawValue)" }
}

/// A topology that cannot run as one process, and why.
public struct ProcessLinksError: Error, CustomStringConvertible {
    public let description: String
}
