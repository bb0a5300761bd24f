import AdminProtocol
import AdminServer
import ArgumentParser
import BrokerCore
import Foundation
import Logging
import SkiffText

/// `skiff broker`: runs the bundled broker and serves the admin protocol until SIGINT/SIGTERM.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run the bundled single-node broker.",
        discussion: """
            Prints `skiff broker listening on HOST:PORT (data: DIR)` once it accepts admin-protocol \
            connections, then `skiff broker kafka listening on HOST:PORT` for Kafka clients (unless \
            --kafka-listen off), and logs to standard error. SIGINT or SIGTERM stops it cleanly: the logs are \
            flushed and the clean-shutdown marker is written, so the next start skips recovery.
            """)

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "Where topics and offsets live (default: $SKIFF_DATA_DIR, else $XDG_DATA_HOME/skiff/data, else ~/.local/share/skiff/data).",
            valueName: "dir"))
    var dataDir: String?

    @Option(
        help: ArgumentHelp(
            "The address to listen on (default: 127.0.0.1:9292); port 0 picks a free one. Anything but loopback exposes the broker: use --auth-token-file.",
            valueName: "host:port"),
        transform: ListenAddress.parse)
    var listen = ListenAddress(host: "127.0.0.1", port: 9292)

    @Option(
        name: .customLong("auth-token-file"),
        help: ArgumentHelp(
            "Require a token from every client: a file of 'admin TOKEN' and 'read-only TOKEN' lines (# comments). Keep it unreadable by others.",
            valueName: "file"))
    var authTokenFile: String?

    @OptionGroup(title: "Kafka listener")
    var kafka: KafkaListenerOptions

    @Flag(
        name: .customLong("rebuild-metadata"),
        help: ArgumentHelp(
            "Rebuild the topic list (topics.log) from the partition directories before starting: for a data directory whose topic metadata is missing or damaged. Topic configs are reset to the defaults; the old metadata file is kept."
        ))
    var rebuildMetadata = false

    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp(
            "trace, debug, info, notice, warning, error or critical (default: info).", valueName: "level"),
        transform: { text in
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw ValidationError("use trace, debug, info, notice, warning, error or critical")
            }
            return level
        })
    var logLevel: Logger.Level = .info

    mutating func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let directory = Self.resolveDataDirectory(dataDir)
        let logger = Logger(label: "skiff.broker")
        let tokens = try authTokenFile.map(Self.loadTokens)
        if !listen.isLoopback {
            if tokens == nil {
                Console.error(
                    """
                    skiff: WARNING: listening on \(listen.host):\(listen.port), which is not a loopback address.
                    skiff: WARNING: no authentication (no --auth-token-file): anyone who can reach this port can read, write \
                    and delete every topic and consumer group.
                    """)
            } else {
                Console.error(
                    """
                    skiff: note: listening on \(listen.host):\(listen.port), which is not a loopback address; \
                    clients need a token, but the connection is not encrypted: tokens and records cross the network \
                    in clear text.
                    """)
            }
        }
        let broker: Broker
        var brokerConfig = BrokerConfig(dataDirectory: directory)
        brokerConfig.rebuildMetadata = rebuildMetadata
        do {
            broker = try Broker(config: brokerConfig, logger: logger)
        } catch .storage(let message) where message.contains("in use by another") {
            throw CLIError("\(message); stop that broker first, or choose another --data-dir")
        } catch .metadataUnusable(let message) {
            throw CLIError(message)
        } catch {
            throw CLIError("cannot start the broker on \(directory): \(error)")
        }
        Self.report(broker)
        var serverConfig = AdminServerConfig()
        serverConfig.host = listen.host
        serverConfig.port = listen.port
        serverConfig.tokens = tokens
        let server = AdminServer(backend: broker, config: serverConfig, logger: Logger(label: "skiff.server"))
        let address: String
        do {
            address = SocketAddressText(try await server.bind(), fallbackHost: listen.host).text
        } catch {
            try? broker.shutdown()
            throw CLIError("cannot listen on \(listen.host):\(listen.port): \(error)")
        }
        let kafkaListener: (server: KafkaServer, address: String)?
        do {
            kafkaListener = try await kafka.bind(sharing: server, logger: Logger(label: "skiff.kafka"))
        } catch {
            await server.close()
            try? broker.shutdown()
            throw error
        }
        if let kafkaAddress = kafka.address?.address, !kafkaAddress.isLoopback, tokens == nil {
            Console.error(
                "skiff: WARNING: the Kafka listener on \(kafkaAddress.host) is not loopback and has no authentication (no --auth-token-file): anyone who can reach it can read and write every topic."
            )
        }
        let stop = StopSignal(onRepeat: { _ in
            Console.error("skiff: second signal: exiting at once, without a clean shutdown")
            Foundation.exit(1)
        })
        Console.line("skiff broker listening on \(address) (data: \(directory))")
        if let kafkaListener { Console.line("skiff broker kafka listening on \(kafkaListener.address)") }
        Console.flush()

        let serverError = await Self.serve(
            server: server, kafka: kafkaListener?.server, broker: broker, stop: stop, logger: logger)
        do {
            try broker.shutdown()
        } catch {
            throw CLIError("the broker did not shut down cleanly: \(error)")
        }
        if let serverError { throw CLIError("the admin server failed: \(serverError)") }
    }

    /// Serves until a signal arrives (then closes the server) or the server fails; returns the
    /// server's error, if any. Maintenance (retention, flushing, group sessions) runs alongside.
    private static func serve(
        server: AdminServer, kafka: KafkaServer?, broker: Broker, stop: StopSignal, logger: Logger
    ) async -> (any Error)? {
        enum Outcome: Sendable {
            case serverStopped((any Error)?)
            case other
        }
        return await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                do {
                    try await server.run()
                    return .serverStopped(nil)
                } catch {
                    return .serverStopped(error)
                }
            }
            if let kafka {
                group.addTask {
                    do {
                        try await kafka.run()
                        return .other
                    } catch {
                        return .serverStopped(error)
                    }
                }
            }
            group.addTask {
                await broker.runMaintenance()
                return .other
            }
            group.addTask {
                await stop.wait()
                if !Task.isCancelled {
                    logger.info("stopping: closing the listeners, then flushing the logs")
                    await kafka?.close()
                    await server.close()
                }
                return .other
            }
            var result: (any Error)?
            while let outcome = await group.next() {
                if case .serverStopped(let error) = outcome {
                    result = error
                    break
                }
            }
            group.cancelAll()
            return result
        }
    }

    /// Prints what the storage found at start (strays moved aside, rewritten metadata, damage,
    /// a rebuilt topic list) to standard error, one `skiff: warning:` line each.
    static func report(_ broker: Broker) {
        if let rebuild = broker.metadataRebuild {
            for topic in rebuild.topics {
                let missing =
                    topic.missingPartitions.isEmpty
                    ? ""
                    : "; partitions \(topic.missingPartitions.map(String.init).joined(separator: ", ")) had no directory and start empty"
                Console.error(
                    "skiff: rebuilt topic \(SafeText.escape(topic.name)): \(topic.partitionCount) partition\(topic.partitionCount == 1 ? "" : "s"), id \(topic.topicId.uuidString), \(topic.configRecovered ? "its config from the old metadata file" : topic.name == "__consumer_offsets" ? "its internal config" : "default configs")\(missing)"
                )
            }
        }
        for directory in broker.metadataRebuild?.deletedTopicDirectories ?? [] {
            Console.error(
                "skiff: \(SafeText.escape(directory)) belonged to a topic the old metadata file records as deleted: moved aside, not rebuilt"
            )
        }
        for notice in broker.notices.all {
            Console.error("skiff: warning: \(SafeText.escape(notice.message))")
        }
    }

    /// Reads and parses `--auth-token-file`; warns when its group or every user may read it.
    static func loadTokens(_ path: String) throws -> [String: AdminRole] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CLIError("cannot read the token file \(SafeText.escape(path)): \(error.localizedDescription)")
        }
        let tokens: [String: AdminRole]
        do {
            tokens = try TokenFile.parse(text)
        } catch {
            throw CLIError("invalid token file \(SafeText.escape(path)): \(error)")
        }
        TokenFilePermissions.warnIfShared(path)
        return tokens
    }

    /// `--data-dir`, else `$SKIFF_DATA_DIR`, else the XDG data directory; `~` expanded, made absolute.
    static func resolveDataDirectory(_ option: String?) -> String {
        let env = ProcessInfo.processInfo.environment
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        var path: String
        if let option, !option.isEmpty {
            path = option
        } else if let fromEnv = env["SKIFF_DATA_DIR"], !fromEnv.isEmpty {
            path = fromEnv
        } else if let xdg = env["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            path = xdg + "/skiff/data"
        } else {
            path = home + "/.local/share/skiff/data"
        }
        if path == "~" {
            path = home
        } else if path.hasPrefix("~/") {
            path = home + path.dropFirst()
        }
        if !path.hasPrefix("/") {
            path = FileManager.default.currentDirectoryPath + "/" + path
        }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
