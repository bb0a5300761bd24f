import AdminClient
import AdminProtocol
import AdminServer
import ArgumentParser
import BrokerCore
import CursesTerminal
import Foundation
import Logging
import SkiffDemo
import SkiffText
import TerminalUI

/// `skiff ui` (also plain `skiff`): the terminal browser. With `--broker` (or `$SKIFF_BROKER`)
/// it connects to that broker; otherwise it starts the bundled broker in-process on the default
/// data directory and still talks to it over the admin protocol.
struct UICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "Open the terminal UI (the default command).",
        discussion: """
            Without --broker (and without $SKIFF_BROKER) the bundled broker starts in-process on the \
            default data directory (see `skiff broker --help`), listening on loopback only. Logs go to \
            --log-file, never to the screen. Press ? in the UI for the keys, q to quit.
            """)

    @Option(help: ArgumentHelp("A broker to connect to instead of starting one.", valueName: "host:port"))
    var broker: String?

    @Option(
        name: .customLong("auth-token-file"),
        help: ArgumentHelp(
            "With --broker: a file holding the broker's token (default: $SKIFF_AUTH_TOKEN). A read-only token opens the UI read-only.",
            valueName: "file"))
    var authTokenFile: String?

    @Option(
        name: .customLong("data-dir"), help: ArgumentHelp("Data directory of the in-process broker.", valueName: "dir"))
    var dataDir: String?

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Where logs go while the UI runs.", valueName: "file"))
    var logFile: String?

    @OptionGroup(title: "Kafka listener (of the bundled broker)")
    var kafka: KafkaListenerOptions

    mutating func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let remote = broker ?? env["SKIFF_BROKER"].flatMap { $0.isEmpty ? nil : $0 }
        let log = try UISession.startLogging(to: logFile)
        if let remote {
            guard let (host, port) = AdminClient.parseAddress(remote) else {
                throw ValidationError("invalid broker address '\(SafeText.escape(remote))': expected host:port")
            }
            let token = try ClientToken.resolve(file: authTokenFile)
            let client = AdminClient(host: host, port: port, clientName: "skiff-ui", authToken: token)
            // The role decides whether the UI offers writes; a broker that cannot be reached yet
            // is the UI's to report (it retries), so that case starts as admin.
            let role: AdminRole
            do {
                role = try await client.role()
            } catch let error where error.isConnectionProblem {
                role = .admin
            } catch {
                await client.close()
                throw CLIError("\(error)")
            }
            try UISession.runApp(client: client, dataDirectory: nil, readOnly: role == .readOnly, log: log)
            await client.close()
            return
        }
        let directory = BrokerCommand.resolveDataDirectory(dataDir)
        let embedded = try await EmbeddedBroker.start(dataDirectory: directory, kafka: kafka, logger: log.logger)
        let client = embedded.client(name: "skiff-ui")
        defer { Console.flush() }
        do {
            try UISession.runApp(client: client, dataDirectory: directory, log: log)
        } catch {
            await client.close()
            await embedded.stop()
            throw error
        }
        await client.close()
        await embedded.stop()
    }
}

/// `skiff demo`: the bundled broker on a fresh temporary data directory, filled with the live
/// trading demo (PRODUCT.md), and the terminal UI on it.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start a broker with live demo data and open the terminal UI on it.",
        discussion: """
            Creates streams-intro, prices (a producer keeps adding prices) and orders, with the consumer \
            groups trading-strategy.abc, trading-strategy.xyz (slower, so lag shows) and order-execution \
            (three members on two partitions, so one is idle). The data directory is temporary and \
            removed on exit unless --keep-data is given.
            """)

    @Flag(name: .customLong("keep-data"), help: "Keep the demo's data directory on exit.")
    var keepData = false

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Where logs go while the UI runs.", valueName: "file"))
    var logFile: String?

    @Flag(name: .customLong("no-ui"), help: .hidden)
    var noUI = false

    @OptionGroup(title: "Kafka listener")
    var kafka: KafkaListenerOptions

    mutating func run() async throws {
        let directory = FileManager.default.temporaryDirectory.path + "/skiff-demo-" + UUID().uuidString.prefix(8)
        let log = try UISession.startLogging(to: logFile)
        let embedded = try await EmbeddedBroker.start(dataDirectory: directory, kafka: kafka, logger: log.logger)
        let client = embedded.client(name: "skiff-demo")
        do {
            try await DemoData.seed(client: client)
        } catch {
            await embedded.stop()
            throw CLIError("could not create the demo data: \(error)")
        }
        let port = embedded.port
        let live = Task {
            await DemoData.runLive(client: client, logger: log.logger) { name in
                AdminClient(host: "127.0.0.1", port: port, clientName: name)
            }
        }
        let ui = embedded.client(name: "skiff-ui")
        if noUI {
            // For tests and headless runs: serve the demo until interrupted.
            Console.line("skiff demo listening on 127.0.0.1:\(port) (data: \(directory))")
            if let address = embedded.kafkaAddress { Console.line("skiff demo kafka listening on \(address)") }
            Console.flush()
            await StopSignal(onRepeat: { _ in Foundation.exit(1) }).wait()
        } else {
            do {
                try UISession.runApp(client: ui, dataDirectory: directory, log: log)
            } catch {
                live.cancel()
                await embedded.stop()
                throw error
            }
        }
        live.cancel()
        await live.value
        await ui.close()
        await client.close()
        await embedded.stop()
        if !keepData { try? FileManager.default.removeItem(atPath: directory) }
    }
}

/// Shared by `ui` and `demo`: logging to a file and running the App on the curses terminal.
enum UISession {
    struct Log {
        var path: String
        var logger: Logger
    }

    /// Sends swift-log output and standard error to `path` (default: `$XDG_STATE_HOME/skiff/skiff.log`
    /// or `~/.local/state/skiff/skiff.log`): anything written to the screen would corrupt it.
    static func startLogging(to path: String?) throws -> Log {
        let env = ProcessInfo.processInfo.environment
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let file =
            path
            ?? ((env["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.local/state")
                + "/skiff/skiff.log")
        let directory = (file as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        do {
            try CursesTerminal.redirectStandardError(toFile: file)
        } catch {
            throw CLIError("cannot open the log file: \(error)")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        return Log(path: file, logger: Logger(label: "skiff"))
    }

    /// Runs the UI until the user quits. Blocks the calling (main) thread; network work runs on
    /// Swift's concurrency pool and NIO's threads.
    static func runApp(client: AdminClient, dataDirectory: String?, readOnly: Bool = false, log: Log) throws {
        let terminal: CursesTerminal
        do {
            CursesTerminal.deliverTerminationAsKey()
            terminal = try CursesTerminal(interrupt: .deliverAsKey)
        } catch {
            throw CLIError("\(error)")
        }
        let context = AppContext(
            brokerAddress: client.address, dataDirectory: dataDirectory, readOnly: readOnly,
            utcOffsetSeconds: TimeZone.current.secondsFromGMT())
        let app = App(terminal: terminal, service: client, context: context)
        FirstFrameProbe.install(on: app, environment: ProcessInfo.processInfo.environment)
        PasteProbe.install(on: app, terminal: terminal, environment: ProcessInfo.processInfo.environment)
        app.run()
        terminal.restore()
    }
}

/// The bundled broker in this process: a Broker plus its AdminServer on a free loopback port.
final class EmbeddedBroker: Sendable {
    let broker: Broker
    let server: AdminServer
    let port: Int
    /// The Kafka listener (127.0.0.1:9092 when free, else a free port), nil if it could not open.
    let kafka: KafkaServer?
    /// Its address as `host:port`.
    let kafkaAddress: String?
    private let tasks: Task<Void, Never>

    private init(
        broker: Broker, server: AdminServer, port: Int, kafka: (server: KafkaServer, address: String)?,
        tasks: Task<Void, Never>
    ) {
        self.broker = broker
        self.server = server
        self.port = port
        self.kafka = kafka?.server
        self.kafkaAddress = kafka?.address
        self.tasks = tasks
    }

    static func start(
        dataDirectory: String, kafka options: KafkaListenerOptions = .defaults, logger: Logger
    ) async throws -> EmbeddedBroker {
        let broker: Broker
        do {
            broker = try Broker(config: BrokerConfig(dataDirectory: dataDirectory), logger: logger)
        } catch .storage(let message) where message.contains("in use by another") {
            throw CLIError(
                "\(message); connect to that broker with `skiff ui --broker HOST:PORT`, or choose another --data-dir")
        } catch .metadataUnusable(let message) {
            throw CLIError(message)
        } catch {
            throw CLIError("cannot start the bundled broker on \(dataDirectory): \(error)")
        }
        var config = AdminServerConfig()
        config.port = 0
        let server = AdminServer(backend: broker, config: config, logger: logger)
        let port: Int
        do {
            port = try await server.bind().port ?? 0
        } catch {
            try? broker.shutdown()
            throw CLIError("cannot start the bundled broker's listener: \(error)")
        }
        // The Kafka listener is a convenience here: when it cannot open, the UI still runs.
        let kafka: (server: KafkaServer, address: String)?
        do {
            kafka = try await options.bind(sharing: server, logger: logger)
        } catch  where options.kafkaListen == nil {
            logger.warning("no Kafka listener: \(error)")
            kafka = nil
        } catch {
            await server.close()
            try? broker.shutdown()
            throw error
        }
        if let kafka {
            // Seen in the terminal once the UI ends (the UI draws on the alternate screen).
            Console.line("skiff: Kafka clients can connect to \(kafka.address) (e.g. kcat -b \(kafka.address) -L)")
            Console.flush()
        }
        let tasks = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await server.run() }
                if let listener = kafka?.server { group.addTask { try? await listener.run() } }
                group.addTask { await broker.runMaintenance() }
            }
        }
        return EmbeddedBroker(broker: broker, server: server, port: port, kafka: kafka, tasks: tasks)
    }

    func client(name: String) -> AdminClient {
        AdminClient(host: "127.0.0.1", port: port, clientName: name)
    }

    /// Closes the listener and shuts the broker down cleanly (flush, clean-shutdown marker).
    func stop() async {
        await kafka?.close()
        await server.close()
        try? broker.shutdown()
        tasks.cancel()
        await tasks.value
    }
}
