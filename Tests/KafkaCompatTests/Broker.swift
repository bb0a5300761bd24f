import Foundation
import SkiffTestSupport

/// A `skiff broker` child process with its admin and Kafka listeners on free loopback ports.
final class KafkaBroker: Sendable {
    let child: ChildProcess
    let dataDirectory: String
    /// The admin protocol's address (`skiff … --broker`).
    let adminAddress: String
    /// The Kafka listener's address (the clients' bootstrap server).
    let kafkaAddress: String
    /// `--auth-token-file` given to the broker, and the token file the CLI needs then.
    let tokens: Tokens?

    struct Tokens: Sendable {
        var admin: String
        var readOnly: String
        var brokerFile: String
        var adminFile: String
    }

    /// Starts a broker on `dataDirectory` and waits for both of its `listening` lines.
    static func start(dataDirectory: String, tokens: Tokens? = nil) async throws -> KafkaBroker {
        var arguments = [
            "broker", "--data-dir", dataDirectory, "--listen", "127.0.0.1:0", "--kafka-listen", "127.0.0.1:0",
        ]
        if let tokens { arguments += ["--auth-token-file", tokens.brokerFile] }
        let child = try ChildProcess(
            try SkiffBinary.require(), arguments,
            environment: ["SKIFF_BROKER": nil, "SKIFF_DATA_DIR": nil, "SKIFF_AUTH_TOKEN": nil])
        var admin: String?
        var kafka: String?
        // Generous: a loaded CI machine starting many debug binaries at once can be slow.
        let started = try await eventually(timeout: .seconds(60)) {
            for line in child.stdout.split(separator: "\n") {
                let adminPrefix = "skiff broker listening on "
                if line.hasPrefix(adminPrefix), let range = line.range(of: " (data: ") {
                    admin = String(line[line.index(line.startIndex, offsetBy: adminPrefix.count)..<range.lowerBound])
                } else if line.hasPrefix("skiff broker kafka listening on ") {
                    kafka = String(line.dropFirst("skiff broker kafka listening on ".count))
                }
            }
            if admin != nil && kafka != nil { return true }
            if !child.isRunning {
                throw CompatFailure(
                    "skiff \(arguments.joined(separator: " ")) exited \(child.process.terminationStatus)\n--- stdout:\n\(child.stdout)\n--- stderr:\n\(tail(child.stderr, lines: 40))"
                )
            }
            return false
        }
        guard started, let admin, let kafka else {
            child.signal(SIGKILL)
            throw CompatFailure(
                "skiff broker printed no `skiff broker listening on` and `skiff broker kafka listening on` lines within 60 s\n--- stdout:\n\(child.stdout)\n--- stderr:\n\(tail(child.stderr, lines: 40))"
            )
        }
        guard admin.hasPrefix("127.0.0.1:"), kafka.hasPrefix("127.0.0.1:") else {
            throw CompatFailure("the broker listens off loopback: admin \(admin), kafka \(kafka)")
        }
        return KafkaBroker(child: child, dataDirectory: dataDirectory, admin: admin, kafka: kafka, tokens: tokens)
    }

    private init(child: ChildProcess, dataDirectory: String, admin: String, kafka: String, tokens: Tokens?) {
        self.child = child
        self.dataDirectory = dataDirectory
        adminAddress = admin
        kafkaAddress = kafka
        self.tokens = tokens
    }

    /// Stops the broker (SIGTERM) and returns its exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) async throws -> Int32 {
        child.signal(signal)
        return try await child.wait(timeout: .seconds(30))
    }

    /// The end of the broker's log, for failure messages.
    var logTail: String { tail(child.stderr, lines: 40) }

    /// Runs `skiff arguments… --broker ADMIN` (with the admin token when the broker has tokens) and
    /// throws unless it exits 0.
    @discardableResult
    func skiff(_ arguments: [String], stdin: Data = Data()) async throws -> Finished {
        var full = arguments + ["--broker", adminAddress]
        if let tokens { full += ["--auth-token-file", tokens.adminFile] }
        let result = try await run(
            try SkiffBinary.require(), full, stdin: stdin,
            environment: ["SKIFF_BROKER": nil, "SKIFF_DATA_DIR": nil, "SKIFF_AUTH_TOKEN": nil])
        guard result.status == 0 else { throw CompatFailure("\(result)") }
        return result
    }
}

/// A fresh temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(_ label: String) throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("skiff-\(label)-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `body` against a fresh broker in a temporary directory, which is removed afterwards; the
/// broker is stopped with SIGTERM whatever happens, must exit 0, and its log is attached to any
/// error.
func withKafkaBroker(
    label: String, sasl: Bool = false, _ body: (KafkaBroker, TemporaryDirectory) async throws -> Void
) async throws {
    let directory = try TemporaryDirectory(label)
    defer { directory.remove() }
    var tokens: KafkaBroker.Tokens?
    if sasl {
        let t = KafkaBroker.Tokens(
            admin: "admin-\(UUID().uuidString)", readOnly: "ro-\(UUID().uuidString)",
            brokerFile: directory.file("tokens"), adminFile: directory.file("admin-token"))
        try "admin \(t.admin)\nread-only \(t.readOnly)\n".write(toFile: t.brokerFile, atomically: true, encoding: .utf8)
        try "\(t.admin)\n".write(toFile: t.adminFile, atomically: true, encoding: .utf8)
        chmod(t.brokerFile, 0o600)
        chmod(t.adminFile, 0o600)
        tokens = t
    }
    try FileManager.default.createDirectory(atPath: directory.file("data"), withIntermediateDirectories: true)
    let broker = try await KafkaBroker.start(dataDirectory: directory.file("data"), tokens: tokens)
    do {
        try await body(broker, directory)
    } catch {
        _ = try? await broker.stop()
        throw CompatFailure("\(error)\n--- broker log (end):\n\(broker.logTail)")
    }
    let status = try await broker.stop()
    if status != 0 {
        throw CompatFailure("skiff broker exited \(status) on SIGTERM\n\(broker.logTail)")
    }
}
