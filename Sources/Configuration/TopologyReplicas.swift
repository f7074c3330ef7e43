/// What is wrong with the `replicas` and `backend` settings of one agent entry, at its key path.
public struct ReplicaProblem: Sendable, Hashable {
    /// The key path, such as `agents.risk-manager.replicas`.
    public var path: String
    /// What is wrong and what to do.
    public var message: String
    /// Whether the problem is replicas of an agent that keeps state.
    public var stateful: Bool
}

extension Topology {
    /// The most replicas one agent may have.
    public static let maxReplicas = 64

    /// Every problem with replicas in the topology, agents in name order.
    public var replicaProblems: [ReplicaProblem] {
        var problems: [ReplicaProblem] = []
        for name in agents.keys.sorted() {
            let entry = agents[name]!
            let at = "agents.\(name)"
            if let replicas = entry.replicas, !(1...Self.maxReplicas).contains(replicas) {
                problems.append(ReplicaProblem(path: "\(at).replicas", message: "must be 1…\(Self.maxReplicas), got \(replicas)", stateful: false))
                continue
            }
            if let backend = entry.backend, !backend.contains("://") {
                problems.append(ReplicaProblem(path: "\(at).backend", message: "'\(backend)' is not an endpoint like tcp://127.0.0.1:7120", stateful: false))
            }
            if let bind = entry.backendBind {
                if !bind.contains("://") {
                    problems.append(ReplicaProblem(path: "\(at).backend_bind", message: "'\(bind)' is not an endpoint like tcp://0.0.0.0:7120", stateful: false))
                } else if entry.backend == nil {
                    problems.append(ReplicaProblem(path: "\(at).backend_bind", message: "is set without a backend, the address its replicas connect to", stateful: false))
                }
            }
            guard entry.isReplicated else {
                if entry.backend != nil {
                    problems.append(ReplicaProblem(path: "\(at).backend", message: "is set but replicas is 1: only a replicated agent has a broker backend", stateful: false))
                }
                continue
            }
            if let agent = AgentName(rawValue: name), !agent.isStateless {
                let stateless = AgentName.allCases.filter(\.isStateless).map(\.rawValue).joined(separator: " and ")
                problems.append(ReplicaProblem(path: "\(at).replicas", message: "\(name) keeps state, so it runs as one process; only \(stateless) may have replicas", stateful: true))
            }
            if entry.backend == nil {
                problems.append(ReplicaProblem(path: "\(at).backend", message: "missing: \(entry.replicaCount) replicas connect to their broker there (e.g. tcp://127.0.0.1:7120)", stateful: false))
            }
            if entry.command != nil {
                problems.append(ReplicaProblem(path: "\(at).command", message: "replicas run the Swift agent, which connects to the broker; a command agent binds its endpoint itself", stateful: false))
            }
        }
        return problems
    }

    /// Throws the first replica problem, naming the file.
    func checkReplicas(path: String) throws(TopologyError) {
        if let problem = replicaProblems.first {
            throw TopologyError("topology file '\(path)': \(problem.path): \(problem.message)")
        }
    }
}
