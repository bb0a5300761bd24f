import AdminClient
import AdminServer
import BrokerCore
import Foundation
import Logging
import NIOCore

let quietLogger = Logger(label: "skiff.test") { _ in SwiftLogNoOpLogHandler() }

/// A real broker on a temporary data directory, served by a real AdminServer on 127.0.0.1:0
/// (the pattern of AdminServerTests' TestBroker).
final class TestBroker: Sendable {
    let dataDirectory: String
    let broker: Broker
    let server: AdminServer
    let port: Int
    private let runTask: Task<Void, any Error>
    private let maintenance: Task<Void, Never>

    init() async throws {
        let dir = FileManager.default.temporaryDirectory.path + "/skiff-demo-test-" + UUID().uuidString
        dataDirectory = dir
        broker = try Broker(config: BrokerConfig(dataDirectory: dir), logger: quietLogger)
        var config = AdminServerConfig()
        config.port = 0
        server = AdminServer(backend: broker, config: config, logger: quietLogger)
        port = try await server.bind().port!
        let server = self.server
        runTask = Task { try await server.run() }
        let broker = self.broker
        maintenance = Task { await broker.runMaintenance(every: .milliseconds(50)) }
    }

    func client(name: String = "test") -> AdminClient {
        AdminClient(host: "127.0.0.1", port: port, clientName: name, timeout: .seconds(10))
    }

    /// Stops serving, shuts the broker down and removes its data directory.
    func stop() async throws {
        await server.close()
        runTask.cancel()
        _ = try? await runTask.value
        maintenance.cancel()
        try broker.shutdown()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
