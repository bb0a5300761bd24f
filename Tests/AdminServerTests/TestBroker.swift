import AdminClient
import AdminServer
import BrokerCore
import Foundation
import Logging
import NIOCore
import NIOPosix

let quietLogger = Logger(label: "skiff.test") { _ in SwiftLogNoOpLogHandler() }

/// A real broker on a temporary data directory, served by a real AdminServer on 127.0.0.1:0.
final class TestBroker: Sendable {
    let dataDirectory: String
    let broker: Broker
    let server: AdminServer
    let port: Int
    private let runTask: Task<Void, any Error>
    private let maintenance: Task<Void, Never>

    init(
        dataDirectory: String? = nil, groups: GroupCoordinatorConfig? = nil, io: any StorageIO = PosixStorageIO(),
        configure: (inout AdminServerConfig) -> Void = { _ in }
    ) async throws {
        let dir =
            dataDirectory ?? FileManager.default.temporaryDirectory.path + "/skiff-server-test-" + UUID().uuidString
        self.dataDirectory = dir
        var brokerConfig = BrokerConfig(dataDirectory: dir)
        if let groups { brokerConfig.groups = groups }
        broker = try Broker(config: brokerConfig, io: io, logger: quietLogger)
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

    func client(name: String = "test", timeout: Duration = .seconds(10)) -> AdminClient {
        AdminClient(host: "127.0.0.1", port: port, clientName: name, timeout: timeout)
    }

    /// Stops serving and shuts the broker down cleanly; the data directory stays.
    func stop() async throws {
        await server.close()
        runTask.cancel()
        _ = try? await runTask.value
        maintenance.cancel()
        try broker.shutdown()
    }

    func removeData() {
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}

/// A raw TCP connection for sending hand-made bytes to the server.
final class RawConnection: Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func send(_ buffer: ByteBuffer) { send(Array(buffer.readableBytesView)) }

    /// Reads one frame payload, or nil when the server closed the connection (or 5 s passed).
    /// The blocking `recv` runs on a Dispatch thread: blocking the (two-thread) cooperative pool
    /// would starve the server under test.
    func readFrame() async -> [UInt8]? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                guard let lengthBytes = self.read(4) else { return continuation.resume(returning: nil) }
                let length = lengthBytes.reduce(0) { $0 << 8 | Int($1) }
                continuation.resume(returning: self.read(length))
            }
        }
    }

    private func read(_ count: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + done, count - done, 0) }
            if n <= 0 { return nil }
            done += n
        }
        return out
    }

    deinit { close(fd) }
}
