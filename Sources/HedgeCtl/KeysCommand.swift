import ArgumentParser
import Configuration
import Messaging

/// `hedgectl keys`: make the CURVE keypairs a topology's `security` section names.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make CURVE keypairs (zmq_curve_keypair) in a keys folder: <name>.pub and <name>.secret, files 0600 in a folder 0700.",
        discussion: """
            Without names, makes one for the bus, each agent and every identity the topology's security section lists \
            (operator by default); existing keys are kept unless --replace is given. Prints each name and its public key.
              hedgectl keys --topology topology/secure.json
              hedgectl keys --dir run/keys auditor
            """)

    @Option(name: .long, help: "Topology file whose security section names the identities and the keys folder.")
    var topology: String = "topology/default.json"

    @Option(name: .long, help: "Keys folder (default: the topology's security.keys_dir).")
    var dir: String?

    @Flag(help: "Replace keys that exist (every peer must then be restarted).")
    var replace = false

    @Argument(help: "Identities to make keys for (default: every identity the topology names).")
    var names: [String] = []

    func run() throws {
        guard CurveKeyPair.isSupported else { throw CtlFailure(CurveKeyError.unsupported.description) }
        let loaded: Topology
        do { loaded = try Topology.load(path: topology) } catch { throw ValidationError(error.description) }
        guard let folder = dir ?? (loaded.hasSecuritySection ? loaded.security.keysDir : nil) else {
            throw ValidationError("\(topology) has no security section naming a keys folder; pass --dir FOLDER")
        }
        let store = CurveKeyStore(folder: folder)
        let wanted = names.isEmpty ? loaded.security.identities(agents: AgentName.allCases.map(\.rawValue)) : names
        do {
            for name in wanted {
                let made = try store.create(name, replace: replace)
                print("\(name)\t\(try store.publicKey(name))\t\(made ? "new" : "kept")")
            }
        } catch {
            throw CtlFailure(error.description)
        }
        print("keys in \(store.folder)")
    }
}
