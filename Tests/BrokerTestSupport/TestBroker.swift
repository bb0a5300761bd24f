import AdminClient
import AdminServer
import BrokerCore
import Foundation
import Logging

/// A logger that drops everything, so tests stay quiet.
public let quietLogger = Logger(label: "skiff.test") { _ in SwiftLogNoOpLogHandler() }

/// A real broker on a temporary data directory, served by a real AdminServer on 127.0.0.1:0;
/// shared by the test targets that need an in-process broker.
public final class TestBroker: Sendable {
    /// The data directory (kept after ``stop()``; see ``removeData()``).
    public let dataDirectory: String
    /// The broker.
    public let broker: Broker
    /// Its admin server.
    public let server: AdminServer
    /// The loopback port the server listens on.
    public let port: Int
    private let runTask: Task<Void, any Error>
    private let maintenance: Task<Void, Never>

    /// Starts a broker on `dataDirectory` (a fresh temporary one by default) and serves it.
    public init(
        dataDirectory: String? = nil, groups: GroupCoordinatorConfig? = nil, io: any StorageIO = PosixStorageIO(),
        configure: (inout AdminServerConfig) -> Void = { _ in }
    ) async throws {
        let dir =
            dataDirectory ?? FileManager.default.temporaryDirectory.path + "/skiff-server-test-" + UUID().uuidString
        self.dataDirectory = dir
        var brokerConfig = BrokerConfig(dataDirectory: dir)
        if let groups { brokerConfig.groups = groups }
        broker = try await Self.open(brokerConfig, io: io)
        var config = AdminServerConfig()
        config.port = 0
        configure(&config)
        server = AdminServer(backend: broker, config: config, logger: quietLogger)
        let address = try await server.bind()
        port = address.port!
        let server = self.server
        runTask = Task { try await server.run() }
        let broker = self.broker
        maintenance = Task { await broker.runMaintenance(every: .milliseconds(50)) }
    }

    /// Opens the broker, trying again for up to 5 s while the data directory's lock is held: a
    /// process another test spawns at the moment a broker closes its lock holds the lock's file
    /// description from fork to exec, so a broker reopened right after a stop can find it taken
    /// for a moment on a loaded machine.
    private static func open(_ config: BrokerConfig, io: any StorageIO) async throws -> Broker {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let failure: BrokerError
            do {
                return try Broker(config: config, io: io, logger: quietLogger)
            } catch {
                failure = error
            }
            guard "\(failure)".contains("in use by another"), ContinuousClock.now < deadline else { throw failure }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// A client for this broker.
    public func client(name: String = "test", timeout: Duration = .seconds(10)) -> AdminClient {
        AdminClient(host: "127.0.0.1", port: port, clientName: name, timeout: timeout)
    }

    /// Stops serving and shuts the broker down cleanly; the data directory stays.
    public func stop() async throws {
        await server.close()
        runTask.cancel()
        _ = try? await runTask.value
        maintenance.cancel()
        try broker.shutdown()
    }

    /// Removes the data directory.
    public func removeData() {
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
