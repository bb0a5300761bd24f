import AdminServer
import ArgumentParser
import Logging
import NIOCore

/// `--kafka-listen`, `--advertised-kafka-address`, `--auto-create-topics` and
/// `--default-partitions`: the Kafka listener of `skiff broker` (and of the broker inside
/// `skiff` and `skiff demo`, which take the defaults).
struct KafkaListenerOptions: ParsableArguments {
    @Option(
        name: .customLong("kafka-listen"),
        help: ArgumentHelp(
            "Where Kafka clients connect (default: 127.0.0.1:9092, or a free port when 9092 is taken); port 0 picks a free one; 'off' turns the Kafka listener off.",
            valueName: "host:port|off"))
    var kafkaListen: String?

    @Option(
        name: .customLong("advertised-kafka-address"),
        help: ArgumentHelp(
            "The address Metadata tells Kafka clients to connect to (default: the listening address).",
            valueName: "host:port"),
        transform: ListenAddress.parse)
    var advertisedKafkaAddress: ListenAddress?

    @Option(
        name: .customLong("auto-create-topics"),
        help: ArgumentHelp(
            "Create a topic a Kafka client asks Metadata for or produces to when it does not exist (Kafka's auto.create.topics.enable): true or false.",
            valueName: "bool"),
        transform: { text in
            switch text.lowercased() {
            case "true", "on", "yes": return true
            case "false", "off", "no": return false
            default: throw ValidationError("use true or false")
            }
        })
    var autoCreateTopics = true

    @Option(
        name: .customLong("default-partitions"),
        help: ArgumentHelp(
            "Partitions of a topic created automatically or with -1 partitions (Kafka's num.partitions).",
            valueName: "n"))
    var defaultPartitions: Int32 = 1

    /// The defaults, for the broker inside `skiff` and `skiff demo`.
    static var defaults: KafkaListenerOptions {
        // Parsing no arguments cannot fail: every option has a default.
        (try? KafkaListenerOptions.parse([])) ?? KafkaListenerOptions()
    }

    func validate() throws {
        if let text = kafkaListen, text != "off" { _ = try ListenAddress.parse(text) }
        guard (1...10_000).contains(defaultPartitions) else {
            throw ValidationError("--default-partitions must be between 1 and 10000")
        }
    }

    /// The address to bind, nil when the listener is off; `explicit` when the user named it.
    var address: (address: ListenAddress, explicit: Bool)? {
        guard let text = kafkaListen else { return (ListenAddress(host: "127.0.0.1", port: 9092), false) }
        if text == "off" { return nil }
        return ((try? ListenAddress.parse(text)) ?? ListenAddress(host: "127.0.0.1", port: 9092), true)
    }

    /// Binds the Kafka listener next to `admin`, or returns nil when it is off. Kafka's port 9092
    /// is taken when free; when the default is busy (another broker, another Skiff) a free port
    /// is used instead, and the caller prints it. A port the user named must be free.
    func bind(sharing admin: AdminServer, logger: Logger) async throws -> (server: KafkaServer, address: String)? {
        guard let (address, explicit) = address else { return nil }
        var config = KafkaListenerConfig()
        config.host = address.host
        config.port = address.port
        config.advertisedHost = advertisedKafkaAddress?.host
        config.advertisedPort = advertisedKafkaAddress?.port
        config.autoCreateTopics = autoCreateTopics
        config.defaultPartitions = defaultPartitions
        var server = KafkaServer(sharing: admin, config: config, logger: logger)
        let bound: SocketAddressText
        do {
            bound = SocketAddressText(try await server.bind(), fallbackHost: address.host)
        } catch  where !explicit {
            config.port = 0
            server = KafkaServer(sharing: admin, config: config, logger: logger)
            do {
                bound = SocketAddressText(try await server.bind(), fallbackHost: address.host)
            } catch {
                throw CLIError("cannot open the Kafka listener on \(address.host): \(error)")
            }
        } catch {
            throw CLIError(
                "cannot listen for Kafka clients on \(address.host):\(address.port): \(error) (--kafka-listen off turns the Kafka listener off)"
            )
        }
        return (server, bound.text)
    }
}

/// A bound address as `host:port`, IPv6 hosts in brackets.
struct SocketAddressText {
    let text: String

    init(_ address: SocketAddress, fallbackHost: String) {
        let host = address.ipAddress ?? fallbackHost
        text = (host.contains(":") ? "[\(host)]" : host) + ":\(address.port ?? 0)"
    }
}
